"""Confidant and safety commands over HTTP: a confidant acts from its own organisation (a second tenant in
its token), registers contacts in its own name and contacts the organisation only with consent; a safety
concern answers with the crisis contact of the case's pinned policy."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from staff_helpers import CONFIDANT_ORG, OTHER_CONFIDANT_ORG, POLICIES, Staff, on

from contracts.vocabulary import Role
from klachtspoor.policies import PolicyRegistry
from services.escalation.entrypoints.support_requests import CrisisContactShown

SUBJECT = "vp-0042"


def contact(contact_id: UUID) -> dict[str, object]:
    return {
        "contact_id": str(contact_id),
        "contacted_on": "2026-03-05",
        "channel": "phone",
        "anonymous": False,
        "client_name": "Voorbeeld Cliënt",
        "summary": "Wil eerst zelf met de mentor praten.",
    }


async def test_a_confidant_registers_contacts_and_contacts_the_organisation_with_consent(
    staff: Staff,
) -> None:
    case_id = await staff.open_case()
    confidant = staff.token("confidant", tenants=[staff.tenant, CONFIDANT_ORG], subject=SUBJECT)
    contact_id = uuid4()
    registered = await staff.command(case_id, "register-confidant-contact", contact(contact_id), confidant)
    assert registered.status_code == 200, registered.text
    assert registered.json()["appended"] == ["ConfidantContactRegistered"]
    event = (await staff.load(case_id)).events[-1]
    assert (event.actor.id, event.actor.role) == (SUBJECT, Role.CONFIDANT)
    assert getattr(event.event, "confidant_id", None) == SUBJECT

    consent_id = uuid4()
    no_consent = await staff.command(
        case_id, "contact-organisation", {"consent_id": str(consent_id)}, confidant
    )
    assert (no_consent.status_code, no_consent.json()["rule"]) == (409, "consent_required")
    consent = {
        "consent_id": str(consent_id),
        "scope": "confidant_contacts_organisation",
        "given_by": "client",
        "written": True,
    }
    given = await staff.command(case_id, "give-consent", consent, confidant)
    assert given.json()["appended"] == ["ConsentGiven"]
    contacted = await staff.command(
        case_id, "contact-organisation", {"consent_id": str(consent_id)}, confidant
    )
    assert contacted.status_code == 200, contacted.text
    assert contacted.json()["appended"] == ["ConfidantContactedOrganisation"]


async def test_a_confidant_without_an_organisation_of_its_own_is_not_independent(staff: Staff) -> None:
    case_id = await staff.open_case()
    inside = staff.token("confidant", subject=SUBJECT)  # only the case's own tenant
    response = await staff.command(case_id, "register-confidant-contact", contact(uuid4()), inside)
    assert (response.status_code, response.json()["rule"]) == (409, "confidant_independent")


async def test_a_confidant_of_an_organisation_the_policy_does_not_name_is_refused(staff: Staff) -> None:
    """The case follows SO!'s procedure, which names the AKJ: an LSR confidant may not act on it."""
    case_id = await staff.open_case()
    other = staff.token("confidant", tenants=[staff.tenant, OTHER_CONFIDANT_ORG], subject=SUBJECT)
    response = await staff.command(case_id, "register-confidant-contact", contact(uuid4()), other)
    assert (response.status_code, response.json()["rule"]) == (409, "confidant_organisation_not_named")
    assert await staff.types(case_id) == ["SignalReceived", "CaseReferenceAssigned", "ProcedurePolicyPinned"]


async def test_a_confidant_never_takes_over_and_needs_the_cases_tenant_in_its_token(staff: Staff) -> None:
    case_id = await staff.open_case()
    confidant = staff.token("confidant", tenants=[staff.tenant, CONFIDANT_ORG], subject=SUBJECT)
    escalate = {"to_step": "manager", "reason": "unresolved"}
    assert (await staff.command(case_id, "escalate", escalate, confidant)).status_code == 403
    own_only = staff.token("confidant", tenants=[CONFIDANT_ORG], subject=SUBJECT)
    response = await staff.command(case_id, "register-confidant-contact", contact(uuid4()), own_only)
    assert response.status_code == 404
    assert await staff.types(case_id) == ["SignalReceived", "CaseReferenceAssigned", "ProcedurePolicyPinned"]


async def test_a_safety_concern_answers_with_the_policys_crisis_contact(staff: Staff) -> None:
    case_id = await staff.open_case()
    acute_id = uuid4()
    acute = {
        "concern_id": str(acute_id),
        "danger": "acute_danger",
        "description": "Dreigt zichzelf iets aan te doen.",
    }
    raised = await staff.command(case_id, "raise-safety-concern", acute, staff.token("care_worker"))
    assert raised.status_code == 200, raised.text
    assert raised.json()["appended"] == ["SafetyConcernRaised"]
    # The SO! Trainingsbureau policy's own label for 112.
    assert raised.json()["crisis_contact"] == {
        "kind": "emergency_112",
        "label": "Levensbedreigend gevaar",
        "phone": "112",
    }
    abuse = {
        "concern_id": str(uuid4()),
        "danger": "abuse_or_domestic_violence",
        "description": "Geweld thuis.",
    }
    home = await staff.command(
        case_id,
        "raise-safety-concern",
        abuse,
        staff.token("confidant", tenants=[staff.tenant, CONFIDANT_ORG]),
    )
    assert home.json()["crisis_contact"]["phone"] == "0800-2000"
    lift = {
        "ground": "danger_to_client",
        "disclosed_to": "emergency_services",
        "discussed_with_client": False,
        "justification": "Acuut levensgevaar.",
        "concern_id": str(acute_id),
    }
    lifted = await staff.command(case_id, "lift-confidentiality", lift, staff.token("manager"))
    assert lifted.json()["appended"] == ["ConfidentialityLifted"]
    again = await staff.command(case_id, "raise-safety-concern", acute, staff.token("care_worker"))
    assert (again.json()["appended"], again.json()["crisis_contact"]["kind"]) == ([], "emergency_112")


SAVE = "save-veilig-thuis-utrecht"


def concern(**changes: object) -> dict[str, object]:
    return {
        "concern_id": str(uuid4()),
        "danger": "abuse_or_domestic_violence",
        "description": "Geweld thuis.",
        "province": "utrecht",
    } | changes


async def test_in_office_hours_a_youth_protection_client_is_shown_the_assigned_worker(staff: Staff) -> None:
    """Thursday 11:00 in the Netherlands: SAVE's worker contact has no number (the worker's own is not
    published), and the answer says so instead of failing after the concern was recorded."""
    staff.clock.now = on(date(2026, 3, 5), hour=10)
    case_id = await staff.open_case(policy=SAVE)
    raised = await staff.command(
        case_id, "raise-safety-concern", concern(client_of="organisation"), staff.token("care_worker")
    )
    assert raised.status_code == 200, raised.text
    assert raised.json()["appended"] == ["SafetyConcernRaised"]
    assert raised.json()["crisis_contact"] == {
        "kind": "assigned_worker",
        "label": "Cliënt van SAVE Jeugdbescherming, tijdens kantooruren",
        "phone": None,
    }
    veilig_thuis = await staff.command(
        case_id, "raise-safety-concern", concern(client_of="veilig_thuis"), staff.token("care_worker")
    )
    assert veilig_thuis.status_code == 200, veilig_thuis.text
    assert veilig_thuis.json()["crisis_contact"]["kind"] == "veilig_thuis"
    assert veilig_thuis.json()["crisis_contact"]["phone"] == "0800-2000"


async def test_the_route_follows_raised_at_and_a_future_one_is_refused(staff: Staff) -> None:
    staff.clock.now = on(date(2026, 3, 5), hour=16)  # 17:00 in the Netherlands: out of office hours
    case_id = await staff.open_case(policy=SAVE)
    called = "2026-03-05T16:55:00+01:00"
    logged = await staff.command(
        case_id,
        "raise-safety-concern",
        concern(client_of="organisation", raised_at=called),
        staff.token("care_worker"),
    )
    assert logged.status_code == 200, logged.text
    assert logged.json()["crisis_contact"]["kind"] == "assigned_worker"
    future = concern(client_of="organisation", raised_at="2026-03-05T17:05:00+01:00")
    refused = await staff.command(case_id, "raise-safety-concern", future, staff.token("care_worker"))
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["body.raised_at"]
    before = concern(raised_at="2026-03-04T12:00:00+01:00")
    too_early = await staff.command(case_id, "raise-safety-concern", before, staff.token("care_worker"))
    assert (too_early.status_code, too_early.json()["rule"]) == (409, "concern_before_case")
    assert (await staff.types(case_id)).count("SafetyConcernRaised") == 1


def test_every_crisis_contact_of_every_published_policy_can_be_shown() -> None:
    policies = PolicyRegistry.from_directory(POLICIES)
    contacts = [c for policy_id in policies.ids for c in policies.get(policy_id).crisis_contacts]
    assert any(c.phone is None for c in contacts)
    for contact in contacts:
        assert CrisisContactShown.of(contact).kind is contact.kind
