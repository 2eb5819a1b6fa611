"""Confidant and safety commands over HTTP: a confidant acts from its own organisation (a second tenant in
its token), registers contacts in its own name and contacts the organisation only with consent; a safety
concern answers with the crisis contact of the case's pinned policy."""

from __future__ import annotations

from uuid import UUID, uuid4

from staff_helpers import CONFIDANT_ORG, OTHER_CONFIDANT_ORG, Staff

from contracts.vocabulary import Role

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
