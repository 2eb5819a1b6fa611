"""Each published procedure walked end to end on one running stack: a signal filed at intake, its ladder
climbed through escalation's staff commands by the roles the procedure names, one move its text forbids
refused with the rule; then the stream in order, the acknowledgement mail (the procedure's own terms,
confidant and next step), the case in reporting and the derived deadlines checked against the calendar.
Sources: /domain/sources/ (one tenant per procedure)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest
from e2e_stack import Stack
from procedure_letters import ACKNOWLEDGEMENTS
from procedure_walk import ACKNOWLEDGED, OPENING, Walk, signal, today

from klachtspoor.calendar import add_term, extend, parse_term
from klachtspoor.eventstore.postgres import PostgresEventStore

pytestmark = pytest.mark.slow
SHARED_STACK = True

CONVERSATION = "record-informal-conversation"
CONFIDANT_ORG = "akj-zorgbelang-drenthe"


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=30) as opened:
        yield opened


def talk(step: str, on: date, result: str = "unresolved") -> dict[str, Any]:
    return {"step": step, "held_on": on.isoformat(), "result": result}


def confidant_contact(on: date, channel: str, *, anonymous: bool) -> dict[str, Any]:
    """A contact with the confidant, of a new id, for ``register-confidant-contact``."""
    return {
        "contact_id": str(uuid4()),
        "contacted_on": on.isoformat(),
        "channel": channel,
        "anonymous": anonymous,
    }


def up(step: str, reason: str = "unresolved") -> dict[str, Any]:
    return {"to_step": step, "reason": reason}


def complaint(filed_with: str, on: date, channel: str = "letter") -> dict[str, Any]:
    return {
        "filed_with": filed_with,
        "channel": channel,
        "received_on": on.isoformat(),
        "written": True,
        "description": "De gesprekken hebben niet geholpen.",
    }


def judgement(judge: str, on: date, outcome: str = "partly_upheld") -> dict[str, Any]:
    return {"judge": judge, "outcome": outcome, "reasoning": "Deels gegrond.", "given_on": on.isoformat()}


def hearing_and_judgement(walk: Walk, day: date) -> list[tuple[str, dict[str, Any], str]]:
    """The committee hears both sides before it judges (schedule, hold, judge)."""
    hearing_id = str(uuid4())
    return [
        (
            "schedule-hearing",
            {"hearing_id": hearing_id, "scheduled_for": f"{day}T09:00:00+00:00", "form": "oral"},
            "complaints_committee",
        ),
        (
            "record-hearing",
            {
                "hearing_id": hearing_id,
                "form": "oral",
                "parties_heard": ["complainant", "provider"],
                "members_present": 3,
                "chair_independent": True,
            },
            "complaints_committee",
        ),
        ("give-judgement", judgement("complaints_committee", day), "complaints_committee"),
    ]


def due(start: date, term: str, *, follows_atw: bool = True) -> str:
    """The due date the calendar gives ``term`` (short notation, e.g. ``6w``) from ``start``."""
    return add_term(start, parse_term(term), follows_atw=follows_atw).on.isoformat()


CLOSE_JUDGED = {"resolution": "judged", "outcome": "partly_upheld"}
ACKNOWLEDGEMENT = OPENING + ACKNOWLEDGED
HEARD_AND_JUDGED = [
    "CommitteeHearingScheduled",
    "NotificationRequested",
    "NotificationSent",
    "CommitteeHearingHeld",
    "JudgementGiven",
    "NotificationRequested",
    "TermStarted",
    "NotificationSent",
]
"""Under the Awb (LSR): the judgement goes to the complainant (and the person complained about, when the
complaint names someone; these name nobody)."""
HEARD_AND_JUDGED_JEUGDWET = [
    "CommitteeHearingScheduled",
    "NotificationRequested",
    "NotificationSent",
    "CommitteeHearingHeld",
    "JudgementGiven",
    "NotificationRequested",
    "NotificationRequested",
    "TermStarted",
    "NotificationParked",
    "NotificationSent",
]
"""Under the Jeugdwet a committee's judgement also goes to the provider: parked here, as the tenants file
names no provider mailbox for these organisations (docs/letters.md)."""
CLOSED = ["CaseClosed", "NotificationRequested", "TermStarted", "NotificationSent"]


async def opened_walk(
    stack: Stack,
    store: PostgresEventStore,
    client: httpx.AsyncClient,
    tenant: str,
    received_on: date,
    **extra: Any,
) -> Walk:
    """The signal filed and acknowledged: the opening events, then the acknowledgement sent by mail."""
    walk = Walk(stack, store, client, tenant)
    recorded = await walk.file_signal(signal(received_on, **extra))
    assert [e.type for e in recorded] == OPENING + ACKNOWLEDGED
    [requested] = [e for e in recorded if e.type == "NotificationRequested"]
    assert requested.data["kind"] == "acknowledgement"
    mail = walk.mail(requested.data["notification_id"])
    assert mail["To"].addresses[0].addr_spec == "client@example.org"
    text = walk.mail_text(requested.data["notification_id"])
    assert walk.reference in text
    expected = ACKNOWLEDGEMENTS[tenant]
    for line in expected.says:
        assert line in text, f"{tenant}'s acknowledgement lacks {line!r}:\n{text}"
    for line in expected.never:
        assert line not in text, f"{tenant}'s acknowledgement says {line!r}:\n{text}"
    assert "first_contact" not in await walk.deadlines()  # no term its procedure does not set
    return walk


async def judged_and_closed(walk: Walk, day: date, closer: str = "complaints_committee") -> None:
    """The committee hears both sides, judges, and the case is closed; reporting shows it closed."""
    for name, body, role in hearing_and_judgement(walk, day):
        await walk.send(name, body, role)
    await walk.send("close", CLOSE_JUDGED, closer)
    await walk.reported("closed")


async def test_ik_ben_er_ook_one_step_at_a_time_to_the_committee(
    stack: Stack, store: PostgresEventStore, client: httpx.AsyncClient
) -> None:
    """Begeleider, vertrouwenspersoon, generalist van de gemeente, klachtencommissie: "De stappen dienen
    een voor een genomen te worden"; the organisation's own confidant takes an anonymous contact and takes
    nothing over; the committee makes first contact within two working days."""
    day = today()
    received = day - timedelta(days=3)
    walk = await opened_walk(stack, store, client, "ik-ben-er-ook", received)

    await walk.send(CONVERSATION, talk("care_worker", day), "care_worker")
    assert await walk.refused("escalate", up("municipal_generalist"), "care_worker") == "ladder_one_by_one"
    await walk.send("escalate", up("confidant"), "care_worker")
    # Stap 2: the organisation's own confidant, "waarbij de cliënt anoniem zijn of haar klacht kan uiten";
    # its token names only Ik ben er ook! (no confidant organisation) and the pinned policy allows it.
    anonymous = confidant_contact(day, "phone", anonymous=True)
    assert await walk.send("register-confidant-contact", anonymous, "confidant") == [
        "ConfidantContactRegistered"
    ]
    taking_over = await walk.post("escalate", up("municipal_generalist"), "confidant")
    assert taking_over.status_code == 403, taking_over.text
    await walk.send("escalate", up("municipal_generalist"), "municipal_generalist")
    await walk.send(CONVERSATION, talk("municipal_generalist", day), "municipal_generalist")
    await walk.send("escalate", up("complaints_committee"), "municipal_generalist")
    filed = complaint("complaints_committee", day, channel="web_form")
    assert await walk.send("file-complaint", filed, "complaints_committee") == [
        "ComplaintFiled",
        "TermStarted",
        "TermStarted",
    ]
    terms = await walk.deadlines()
    assert terms["first_contact"]["due_on"] == due(day, "2wd")  # the committee's own first contact
    assert terms["admissibility"]["due_on"] == due(day, "4w")
    await walk.send("record-first-contact", {"channel": "email"}, "complaints_committee")
    await walk.send("decide-admissibility", {"admissible": True}, "complaints_committee")
    asked = {"judge": "complaints_committee", "requested_on": day.isoformat(), "written": True}
    await walk.send("request-judgement", asked, "complaints_committee")
    judgement_term = (await walk.deadlines())["judgement"]
    assert (judgement_term["started_on"], judgement_term["due_on"]) == (day.isoformat(), due(day, "6w"))
    await judged_and_closed(walk, day)

    assert await walk.types() == [
        *ACKNOWLEDGEMENT,
        "InformalConversationHeld",
        "EscalatedToNextStep",
        "ConfidantContactRegistered",
        "EscalatedToNextStep",
        "InformalConversationHeld",
        "EscalatedToNextStep",
        "ComplaintFiled",
        "TermStarted",
        "TermStarted",
        "FirstContactMade",
        "AdmissibilityDecided",
        "JudgementRequested",
        "TermStarted",
        *HEARD_AND_JUDGED_JEUGDWET,
        *CLOSED,
    ]


async def test_so_trainingsbureau_mentor_officer_director_then_disputes_committee(
    stack: Stack, store: PostgresEventStore, client: httpx.AsyncClient
) -> None:
    """Mentor, klachtenfunctionaris (bemiddeling), schriftelijk oordeel van de directeur binnen zes weken,
    daarna de geschillencommissie; the officer's step is never passed by."""
    day = today()
    walk = await opened_walk(stack, store, client, "so-trainingsbureau", day - timedelta(days=2))
    await walk.send(CONVERSATION, talk("care_worker", day), "care_worker")
    rule = await walk.refused("escalate", up("director", "client_choice"), "care_worker")
    assert rule == "ladder_one_by_one"
    await walk.send("escalate", up("complaints_officer", "client_choice"), "care_worker")
    await walk.send("assign-complaints-officer", {"officer_id": "kf-0001"}, "complaints_officer")
    mediator = {"mediator_role": "complaints_officer", "mediator_id": "kf-0001"}
    await walk.send("start-mediation", mediator, "complaints_officer")
    await walk.send("conclude-mediation", {"result": "unresolved"}, "complaints_officer")
    await walk.send("file-complaint", complaint("complaints_officer", day), "complaints_officer")
    await walk.send("decide-admissibility", {"admissible": True}, "complaints_officer")
    asked = {"judge": "director", "requested_on": day.isoformat(), "written": True}
    await walk.send("request-judgement", asked, "complaints_officer")
    terms = await walk.deadlines()
    assert (terms["judgement"]["started_on"], terms["judgement"]["due_on"]) == (
        day.isoformat(),
        due(day, "6w"),
    )
    filing = terms["disputes_committee_filing"]
    assert (filing["due_on"], filing["follows_atw"]) == (due(day, "1y", follows_atw=False), False)
    await walk.send("give-judgement", judgement("director", day), "director")
    refer = {"body": "disputes_committee", "reason": "internal_route_exhausted"}
    await walk.send("refer-externally", refer, "complaints_officer")
    await walk.send("close", {"resolution": "referred_externally"}, "complaints_officer")
    await walk.reported("closed")

    assert await walk.types() == [
        *ACKNOWLEDGEMENT,
        "InformalConversationHeld",
        "EscalatedToNextStep",
        "ComplaintsOfficerAssigned",
        "MediationStarted",
        "MediationConcluded",
        "ComplaintFiled",
        "TermStarted",
        "TermStarted",
        "AdmissibilityDecided",
        "JudgementRequested",
        "TermStarted",
        "JudgementGiven",
        "NotificationRequested",
        "TermStarted",
        "NotificationSent",
        "ReferredExternally",
        *CLOSED,
    ]


async def test_save_conversation_with_worker_and_regional_manager_then_the_committee(
    stack: Stack, store: PostgresEventStore, client: httpx.AsyncClient
) -> None:
    """Klachtgesprek met de medewerker en de regiomanager, dan de KJMN; the committee judges only after
    hearing both sides."""
    day = today()
    walk = await opened_walk(stack, store, client, "save-veilig-thuis-utrecht", day - timedelta(days=1))
    await walk.send(CONVERSATION, talk("care_worker", day), "care_worker")
    await walk.send("escalate", up("manager"), "care_worker")
    await walk.send(CONVERSATION, talk("manager", day), "manager")
    await walk.send("escalate", up("complaints_committee"), "manager")
    await walk.send("file-complaint", complaint("complaints_committee", day), "complaints_committee")
    await walk.send("decide-admissibility", {"admissible": True}, "complaints_committee")
    asked = {"judge": "complaints_committee", "requested_on": day.isoformat(), "written": True}
    await walk.send("request-judgement", asked, "complaints_committee")
    assert (await walk.deadlines())["judgement"]["due_on"] == due(day, "6w")
    unheard = hearing_and_judgement(walk, day)[-1]
    assert await walk.refused(*unheard) == "hearing_not_held"
    await judged_and_closed(walk, day)

    assert await walk.types() == [
        *ACKNOWLEDGEMENT,
        *["InformalConversationHeld", "EscalatedToNextStep"] * 2,
        "ComplaintFiled",
        "TermStarted",
        "AdmissibilityDecided",
        "JudgementRequested",
        "TermStarted",
        *HEARD_AND_JUDGED_JEUGDWET,
        *CLOSED,
    ]


async def test_save_straight_to_the_committee(
    stack: Stack, store: PostgresEventStore, client: httpx.AsyncClient
) -> None:
    """ "Dat kan overigens ook meteen al": no conversation first."""
    day = today()
    walk = await opened_walk(stack, store, client, "save-veilig-thuis-utrecht", day)
    await walk.send("escalate", up("complaints_committee", "client_choice"), "care_worker")
    await walk.send("file-complaint", complaint("complaints_committee", day), "complaints_committee")
    assert (await walk.deadlines())["admissibility"]["due_on"] == due(day, "4w")
    assert await walk.types() == [*ACKNOWLEDGEMENT, "EscalatedToNextStep", "ComplaintFiled", "TermStarted"]


async def test_akj_confidant_supports_with_consent_and_the_client_chooses(
    stack: Stack, store: PostgresEventStore, client: httpx.AsyncClient
) -> None:
    """The confidant explores the problem, contacts nobody without the client's consent and takes nothing
    over; the client then goes to the care worker and on to the committee."""
    day = today()
    walk = await opened_walk(stack, store, client, "akj-zorgbelang-drenthe", day, raised_with="confidant")
    contact = confidant_contact(day, "phone", anonymous=False)
    await walk.send("register-confidant-contact", contact, "confidant")
    consent_id = str(uuid4())
    contact_org = {"consent_id": consent_id, "purpose": "Gesprek met de begeleider voorbereiden."}
    assert await walk.refused("contact-organisation", contact_org, "confidant") == "consent_required"
    consent = {
        "consent_id": consent_id,
        "scope": "confidant_contacts_organisation",
        "given_by": "client",
        "written": True,
    }
    await walk.send("give-consent", consent, "confidant")
    await walk.send("contact-organisation", contact_org, "confidant")
    taking_over = await walk.post("escalate", up("care_worker"), "confidant")
    assert taking_over.status_code == 403, taking_over.text
    await walk.send("escalate", up("care_worker"), "care_worker")
    await walk.send(CONVERSATION, {**talk("care_worker", day), "confidant_present": True}, "care_worker")
    await walk.send("escalate", up("complaints_committee", "client_choice"), "care_worker")
    await walk.send("file-complaint", complaint("complaints_committee", day), "complaints_committee")
    await walk.send("decide-admissibility", {"admissible": True}, "complaints_committee")
    asked = {"judge": "complaints_committee", "requested_on": day.isoformat(), "written": True}
    await walk.send("request-judgement", asked, "complaints_committee")
    assert (await walk.deadlines())["judgement"]["due_on"] == due(day, "6w")
    await judged_and_closed(walk, day)
    assert await walk.types() == [
        *ACKNOWLEDGEMENT,
        "ConfidantContactRegistered",
        "ConsentGiven",
        "ConfidantContactedOrganisation",
        "EscalatedToNextStep",
        "InformalConversationHeld",
        "EscalatedToNextStep",
        "ComplaintFiled",
        "TermStarted",
        "AdmissibilityDecided",
        "JudgementRequested",
        "TermStarted",
        *HEARD_AND_JUDGED_JEUGDWET,
        *CLOSED,
    ]


async def test_lsr_anonymous_confidant_contact_mediation_and_the_committee_within_ten_weeks(
    stack: Stack, store: PostgresEventStore, client: httpx.AsyncClient
) -> None:
    """An anonymous contact with the external confidant, mediation (klachtbemiddeling), then the
    committee's judgement within ten weeks of the complaint, extended by at most four."""
    day = today()
    received = day - timedelta(days=3)
    walk = await opened_walk(stack, store, client, "lsr", received, raised_with="confidant")
    contact = confidant_contact(day, "email", anonymous=True)
    await walk.send("register-confidant-contact", contact, "confidant")
    await walk.send("escalate", up("complaints_officer", "client_choice"), "complaints_officer")
    await walk.send("assign-complaints-officer", {"officer_id": "kb-0001"}, "complaints_officer")
    mediator = {"mediator_role": "complaints_officer", "mediator_id": "kb-0001"}
    await walk.send("start-mediation", mediator, "complaints_officer")
    await walk.send("conclude-mediation", {"result": "unresolved"}, "complaints_officer")
    await walk.send("escalate", up("complaints_committee"), "complaints_officer")
    await walk.send("file-complaint", complaint("complaints_committee", received), "complaints_committee")
    assert (await walk.deadlines())["admissibility"]["due_on"] == due(received, "4w")
    await walk.send("decide-admissibility", {"admissible": True}, "complaints_committee")
    # Asked three days after the complaint came in: Awb art. 9:11 counts the ten weeks from its receipt.
    asked = {"judge": "complaints_committee", "requested_on": day.isoformat(), "written": True}
    await walk.send("request-judgement", asked, "complaints_committee")
    judgement_term = (await walk.deadlines())["judgement"]
    assert (judgement_term["started_on"], judgement_term["due_on"]) == (
        received.isoformat(),
        due(received, "10w"),
    )
    longest = extend(add_term(received, parse_term("10w")), parse_term("4w")).on
    too_long = {
        "deadline": "judgement",
        "new_due_on": (longest + timedelta(days=1)).isoformat(),
        "reason": "Wacht op stukken.",
    }
    assert (
        await walk.refused("extend-term", too_long, "complaints_committee") == "term_extension_beyond_maximum"
    )
    within = {**too_long, "new_due_on": longest.isoformat()}
    assert await walk.send("extend-term", within, "complaints_committee") == [
        "TermExtended",
        "NotificationRequested",
    ]
    extended = (await walk.deadlines())["judgement"]
    assert (extended["due_on"], extended["extended"]) == (longest.isoformat(), True)
    await judged_and_closed(walk, day)
    assert await walk.types() == [
        *ACKNOWLEDGEMENT,
        "ConfidantContactRegistered",
        "EscalatedToNextStep",
        "ComplaintsOfficerAssigned",
        "MediationStarted",
        "MediationConcluded",
        "EscalatedToNextStep",
        "ComplaintFiled",
        "TermStarted",
        "AdmissibilityDecided",
        "JudgementRequested",
        "TermStarted",
        "TermExtended",
        "NotificationRequested",
        "NotificationSent",
        *HEARD_AND_JUDGED,
        *CLOSED,
    ]
