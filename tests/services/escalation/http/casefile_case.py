"""One case with every kind of content a case file shows, driven through the staff API as staff would
(under the demo procedure: its ladder ends at the committee and its confidant is the LSR's), and the
plaintext of each part, so a test can look for exactly what it put in."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from staff_helpers import OTHER_CONFIDANT_ORG, Staff, on

from contracts.events import NotificationRequested, NotificationSent
from contracts.vocabulary import NotificationChannel, Role

CONFIDANT = "vp-0042"
"""The subject of the confidant who registers the contact (of the LSR, the demo policy's confidant)."""

TEXT = {
    "complainant.name": "Voorbeeld Cliënt",
    "complainant.contact": "client@example.org",
    "about": "Voorbeeld Mentor",
    "description": "Mijn mentor zegt afspraken af zonder het te melden.",
    "steps.notes": "Gesprek met de mentor over de afspraken.",
    "steps.admissibility.explanation": "De klacht valt binnen de regeling.",
    "steps.hearings.minutes": "Beide partijen gehoord over de afgezegde afspraken.",
    "judgement.reasoning": "De afspraken zijn zonder bericht afgezegd.",
    "steps.measures": "Afzeggen gaat voortaan schriftelijk.",
    "terms.reasons": "De commissie wacht op het verslag van de mentor.",
    "support.confidant.notes": "Wil graag steun bij het gesprek.",
    "support.safety.text": "Voelt zich thuis niet veilig.",
}
"""One distinct text per personal name of the table (``complainant.name`` and ``.contact`` are the signal's
as the staff helpers open it)."""


async def walk_a_whole_case(staff: Staff) -> UUID:
    """Signal, informal route with the confidant and a safety concern, mediation, a complaint to the
    committee, admissibility, a term suspended, resumed and extended, a hearing, the judgement, measures,
    a referral, a letter sent and the close."""
    staff.clock.now = on(date(2026, 3, 5))
    case_id = await staff.open_case(policy="demo")

    async def send(day: date, name: str, role: Role, body: dict[str, Any], token: str | None = None) -> None:
        staff.clock.now = on(day)
        response = await staff.command(case_id, name, body, token or staff.token(role.value))
        assert response.status_code == 200, f"{name}: {response.text}"

    confidant = staff.token("confidant", tenants=[staff.tenant, OTHER_CONFIDANT_ORG], subject=CONFIDANT)
    talk = {
        "held_on": "2026-03-06",
        "step": "care_worker",
        "result": "unresolved",
        "notes": TEXT["steps.notes"],
    }
    await send(date(2026, 3, 6), "record-informal-conversation", Role.CARE_WORKER, talk)
    contact = {
        "contact_id": str(uuid4()),
        "contacted_on": "2026-03-06",
        "channel": "phone",
        "anonymous": False,
        "client_name": TEXT["complainant.name"],
        "summary": TEXT["support.confidant.notes"],
    }
    await send(date(2026, 3, 6), "register-confidant-contact", Role.CONFIDANT, contact, confidant)
    consent_id = str(uuid4())
    consent = {
        "consent_id": consent_id,
        "scope": "confidant_contacts_organisation",
        "given_by": "client",
        "written": True,
    }
    await send(date(2026, 3, 6), "give-consent", Role.CONFIDANT, consent, confidant)
    await send(
        date(2026, 3, 6), "contact-organisation", Role.CONFIDANT, {"consent_id": consent_id}, confidant
    )
    concern_id = str(uuid4())
    concern = {"concern_id": concern_id, "danger": "acute_danger", "description": TEXT["support.safety.text"]}
    await send(date(2026, 3, 6), "raise-safety-concern", Role.CARE_WORKER, concern)
    lift = {
        "ground": "danger_to_client",
        "disclosed_to": "emergency_services",
        "discussed_with_client": True,
        "justification": "Acuut gevaar.",
        "concern_id": concern_id,
    }
    await send(date(2026, 3, 6), "lift-confidentiality", Role.MANAGER, lift)
    up = {"to_step": "manager", "reason": "unresolved", "explanation": "Mentor kon het niet oplossen."}
    await send(date(2026, 3, 9), "escalate", Role.CARE_WORKER, up)
    talk = {"held_on": "2026-03-10", "step": "manager", "result": "unresolved", "with_staff_id": "mgr-1"}
    await send(date(2026, 3, 10), "record-informal-conversation", Role.MANAGER, talk)
    await send(
        date(2026, 3, 11), "escalate", Role.MANAGER, {"to_step": "complaints_officer", "reason": "unresolved"}
    )
    await send(date(2026, 3, 11), "assign-complaints-officer", Role.MANAGER, {"officer_id": "kf-0001"})
    mediator = {"mediator_role": "complaints_officer", "mediator_id": "kf-0001"}
    await send(date(2026, 3, 12), "start-mediation", Role.COMPLAINTS_OFFICER, mediator)
    concluded = {"result": "unresolved", "agreement": "Geen overeenstemming."}
    await send(date(2026, 3, 13), "conclude-mediation", Role.COMPLAINTS_OFFICER, concluded)
    await send(
        date(2026, 3, 16),
        "escalate",
        Role.COMPLAINTS_OFFICER,
        {"to_step": "complaints_committee", "reason": "unresolved"},
    )
    complaint = {
        "filed_with": "complaints_committee",
        "channel": "letter",
        "received_on": "2026-03-16",
        "written": True,
        "about": {"role": "care_worker", "staff_id": "mw-0007", "name": TEXT["about"]},
        "description": TEXT["description"],
        "desired_outcome": "Dat afspraken doorgaan.",
        "categories": ["treatment"],
    }
    await send(date(2026, 3, 16), "file-complaint", Role.COMPLAINTS_OFFICER, complaint)
    first = {"channel": "phone", "note": "Klager gebeld over de klacht."}
    await send(date(2026, 3, 17), "record-first-contact", Role.COMPLAINTS_COMMITTEE, first)
    admissible = {"admissible": True, "explanation": TEXT["steps.admissibility.explanation"]}
    await send(date(2026, 3, 18), "decide-admissibility", Role.COMPLAINTS_COMMITTEE, admissible)
    request = {"judge": "complaints_committee", "requested_on": "2026-03-18", "written": True}
    await send(date(2026, 3, 18), "request-judgement", Role.COMPLAINTS_COMMITTEE, request)
    pause = {"deadline": "judgement", "reason": "awaiting_complainant", "explanation": "Wacht op klager."}
    await send(date(2026, 3, 20), "suspend-term", Role.COMPLAINTS_COMMITTEE, pause)
    await send(date(2026, 3, 27), "resume-term", Role.COMPLAINTS_COMMITTEE, {"deadline": "judgement"})
    extend = {"deadline": "judgement", "new_due_on": "2026-06-05", "reason": TEXT["terms.reasons"]}
    await send(date(2026, 4, 20), "extend-term", Role.COMPLAINTS_COMMITTEE, extend)
    hearing_id = str(uuid4())
    schedule = {"hearing_id": hearing_id, "scheduled_for": "2026-05-04T14:00:00+02:00", "form": "oral"}
    await send(date(2026, 4, 21), "schedule-hearing", Role.OFFICE_MANAGER, schedule)
    held = {
        "hearing_id": hearing_id,
        "form": "oral",
        "parties_heard": ["complainant", "person_complained_about"],
        "members_present": 3,
        "chair_independent": True,
        "minutes": TEXT["steps.hearings.minutes"],
    }
    await send(date(2026, 5, 4), "record-hearing", Role.COMPLAINTS_COMMITTEE, held)
    judgement = {
        "judge": "complaints_committee",
        "outcome": "upheld",
        "reasoning": TEXT["judgement.reasoning"],
        "recommendations": ["Spreek een vaste manier van afzeggen af."],
        "given_on": "2026-05-20",
    }
    await send(date(2026, 5, 20), "give-judgement", Role.COMPLAINTS_COMMITTEE, judgement)
    measures = {
        "measures_taken": True,
        "measures": [TEXT["steps.measures"]],
        "implementation_due_on": "2026-09-01",
    }
    await send(date(2026, 6, 10), "announce-measures", Role.DIRECTOR, measures)
    await _letter_sent(staff, case_id)
    refer = {
        "body": "disputes_committee",
        "reason": "complainant_choice",
        "explanation": "Wil bindend advies.",
    }
    await send(date(2026, 6, 12), "refer-externally", Role.COMPLAINTS_OFFICER, refer)
    closing = {"resolution": "judged", "outcome": "upheld", "summary": "Gegrond; maatregel genomen."}
    await send(date(2026, 6, 15), "close", Role.COMPLAINTS_OFFICER, closing)
    return case_id


async def _letter_sent(staff: Staff, case_id: UUID) -> None:
    """What notify appends once the judgement's letter was handed over."""
    case = await staff.load(case_id)
    requested = next(e.event for e in case.events if isinstance(e.event, NotificationRequested))
    assert isinstance(requested, NotificationRequested)
    sent = NotificationSent(
        notification_id=requested.notification_id, channel=NotificationChannel.EMAIL, attempt=1
    )
    await staff.append(case_id, sent)
