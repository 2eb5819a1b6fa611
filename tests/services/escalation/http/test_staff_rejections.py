"""Rules the decider enforces answer 409 with the rule and append nothing; an erased case 410; an unknown
case, another tenant's case and an unknown tenant 404."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest
from staff_helpers import OTHER_PROVIDER, Staff

from contracts.events import PersonalDataErased
from contracts.vocabulary import ErasureReason

TALK = {"held_on": "2026-03-05", "step": "care_worker", "result": "unresolved"}
JUDGEMENT = {"judge": "director", "outcome": "upheld", "reasoning": "Gegrond.", "given_on": "2026-03-05"}

REJECTED: list[tuple[str, str, dict[str, Any], str]] = [
    ("escalate", "care_worker", {"to_step": "director", "reason": "unresolved"}, "ladder_one_by_one"),
    ("decide-admissibility", "complaints_officer", {"admissible": True}, "complaint_not_filed"),
    ("give-judgement", "director", JUDGEMENT, "judgement_not_requested"),
    ("close", "complaints_officer", {"resolution": "judged", "outcome": "upheld"}, "judgement_not_given"),
    ("close", "complaints_officer", {"resolution": "withdrawn"}, "resolution_needs_its_command"),
    ("reopen", "manager", {"reason": "Opnieuw."}, "case_not_closed"),
    ("conclude-mediation", "complaints_officer", {"result": "resolved"}, "mediation_not_running"),
    ("withdraw-consent", "care_worker", {"consent_id": str(uuid4())}, "consent_unknown"),
    (
        "lift-confidentiality",
        "manager",
        {
            "ground": "danger_to_client",
            "disclosed_to": "veilig_thuis",
            "discussed_with_client": True,
            "justification": "Direct gevaar.",
            "concern_id": str(uuid4()),
        },
        "concern_unknown",
    ),
]


@pytest.mark.parametrize(("name", "role", "body", "rule"), REJECTED, ids=[r[3] for r in REJECTED])
async def test_a_broken_rule_answers_409_with_the_rule_and_appends_nothing(
    staff: Staff, name: str, role: str, body: dict[str, Any], rule: str
) -> None:
    case_id = await staff.open_case()
    before = await staff.types(case_id)
    response = await staff.command(case_id, name, body, staff.token(role))
    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["rule"] == rule
    assert (problem["status"], problem["title"]) == (409, "Command rejected")
    assert problem["detail"], "a rejection explains itself"
    assert await staff.types(case_id) == before


async def test_more_rules_on_one_case_a_duplicate_of_itself_and_a_case_without_policy(staff: Staff) -> None:
    case_id = await staff.open_case()
    itself = await staff.command(
        case_id, "link-as-duplicate", {"original_case_id": str(case_id)}, staff.token("office_manager")
    )
    assert (itself.status_code, itself.json()["rule"]) == (409, "duplicate_of_itself")

    unpinned = await staff.open_case(policy=None)
    escalate = {"to_step": "manager", "reason": "unresolved"}
    response = await staff.command(unpinned, "escalate", escalate, staff.token("care_worker"))
    assert (response.status_code, response.json()["rule"]) == (409, "policy_not_pinned")
    # Withdrawal needs no policy: the same case takes it.
    withdrawn = await staff.command(unpinned, "withdraw", {}, staff.token("care_worker"))
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["appended"][0] == "ComplaintWithdrawn"
    again = await staff.command(unpinned, "withdraw", {}, staff.token("care_worker"))
    assert (again.status_code, again.json()["rule"]) == (409, "case_closed")


async def test_an_erased_case_answers_410_but_still_shows_its_deadlines(staff: Staff) -> None:
    case_id = await staff.open_case()
    await staff.append(case_id, PersonalDataErased(reason=ErasureReason.ERASURE_REQUEST))
    before = await staff.types(case_id)
    for name, body in (
        ("withdraw", {}),
        ("record-informal-conversation", TALK),
        ("reopen", {"reason": "Nee."}),
    ):
        response = await staff.command(case_id, name, body, staff.token("manager", "care_worker"))
        assert response.status_code == 410, (name, response.text)
        assert response.json()["rule"] == "case_erased"
    assert await staff.types(case_id) == before
    deadlines = await staff.deadlines(case_id, staff.token("manager"))
    assert deadlines.status_code == 200
    assert deadlines.json()["deadlines"] == []


async def test_unknown_foreign_and_untenanted_cases_are_not_found(staff: Staff) -> None:
    case_id = await staff.open_case()
    unknown = await staff.command(uuid4(), "record-informal-conversation", TALK, staff.token("care_worker"))
    assert unknown.status_code == 404
    assert "No case" in unknown.json()["detail"]
    # The case exists in the test's tenant; under another tenant (a token of that tenant) it does not.
    foreign_token = staff.token("care_worker", tenants=[OTHER_PROVIDER])
    foreign = await staff.command(
        case_id, "record-informal-conversation", TALK, foreign_token, tenant=OTHER_PROVIDER
    )
    assert foreign.status_code == 404
    # A token naming a tenant the network does not know.
    ghost = await staff.command(
        case_id,
        "record-informal-conversation",
        TALK,
        staff.token("care_worker", tenants=["ghost"]),
        tenant="ghost",
    )
    assert ghost.status_code == 404
    assert (await staff.deadlines(uuid4(), staff.token("manager"))).status_code == 404
    assert await staff.types(case_id) == ["SignalReceived", "CaseReferenceAssigned", "ProcedurePolicyPinned"]
