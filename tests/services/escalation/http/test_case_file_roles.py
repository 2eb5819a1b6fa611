"""Every role of the case file's table reads the same whole case: each sees exactly the sections and
fields its row names, decrypted, and none of the others; every read is in the access log with the role
it was served in and what it showed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest
from casefile_case import CONFIDANT, TEXT, walk_a_whole_case
from staff_helpers import OTHER_CONFIDANT_ORG, Staff

from contracts.vocabulary import Role
from klachtspoor.accesslog import AccessOutcome
from services.escalation.domain.casefile import CASE_FILE_TABLE, READERS
from services.escalation.domain.casefile.table import EVERY_NAME
from services.escalation.entrypoints.casefile_route import CHANNEL

Json = dict[str, Any]


def _dig(node: Any, *path: str | int) -> Any:
    """The value at ``path``, or None where any part of it is missing or null."""
    for key in path:
        if node is None:
            return None
        if isinstance(key, int):
            node = node[key] if isinstance(node, list) and len(node) > key else None
        else:
            node = node.get(key) if isinstance(node, dict) else None
    return node


def _step(body: Json, kind: str, fact: str, index: int = 0) -> Any:
    steps = [s for s in body.get("steps") or [] if s["kind"] == kind]
    return _dig(steps, index, "facts", fact)


def _letter_text(body: Json) -> bool | None:
    """Whether the sent letter's text is shown and is the case's (its reference, the complainant's name)."""
    text = _dig(body, "letters", 0, "text")
    if text is None:
        return None
    return "KS-2026-000042" in text and TEXT["complainant.name"] in text


PROBES: dict[str, tuple[Callable[[Json], Any], Any]] = {
    "complainant": (lambda b: _dig(b, "complainant", "capacity"), "client"),
    "complainant.name": (lambda b: _dig(b, "complainant", "name"), TEXT["complainant.name"]),
    "complainant.contact": (lambda b: _dig(b, "complainant", "email"), TEXT["complainant.contact"]),
    "about": (lambda b: _dig(b, "about", "name"), TEXT["about"]),
    "description": (lambda b: _dig(b, "description", "complaint"), TEXT["description"]),
    "categories": (lambda b: b.get("categories"), ["treatment"]),
    "steps": (lambda b: _step(b, "JudgementGiven", "outcome"), "upheld"),
    "steps.notes": (lambda b: _step(b, "InformalConversationHeld", "notes"), TEXT["steps.notes"]),
    "steps.admissibility.explanation": (
        lambda b: _step(b, "AdmissibilityDecided", "explanation"),
        TEXT["steps.admissibility.explanation"],
    ),
    "steps.hearings.minutes": (
        lambda b: _step(b, "CommitteeHearingHeld", "minutes"),
        TEXT["steps.hearings.minutes"],
    ),
    "judgement.reasoning": (lambda b: _step(b, "JudgementGiven", "reasoning"), TEXT["judgement.reasoning"]),
    "steps.measures": (lambda b: _step(b, "MeasuresAnnounced", "measures"), [TEXT["steps.measures"]]),
    "terms": (
        lambda b: {d["kind"]: d["due_on"] for d in _dig(b, "terms", "deadlines") or []}.get("judgement"),
        "2026-06-05",
    ),
    "terms.reasons": (
        lambda b: next(
            (c["reason"] for c in _dig(b, "terms", "changes") or [] if c["change"] == "extended"), None
        ),
        TEXT["terms.reasons"],
    ),
    "letters": (lambda b: _dig(b, "letters", 0, "status"), "sent"),
    "letters.text": (lambda b: _letter_text(b), True),
    "policy": (lambda b: b.get("policy"), {"policy_id": "demo", "policy_version": 1}),
    "support.confidant": (lambda b: _dig(b, "support", "confidant", "contacts", 0, "channel"), "phone"),
    "support.confidant.notes": (
        lambda b: _dig(b, "support", "confidant", "contacts", 0, "summary"),
        TEXT["support.confidant.notes"],
    ),
    "support.safety": (
        lambda b: _dig(b, "support", "safety", "concerns", 0, "crisis_route"),
        "emergency_112",
    ),
    "support.safety.text": (
        lambda b: _dig(b, "support", "safety", "concerns", 0, "description"),
        TEXT["support.safety.text"],
    ),
}
"""Per name of the table: where the case's value for it is in the answer, and that value."""


@pytest.fixture(scope="module")
async def whole_case(staff_app: Staff) -> UUID:
    return await walk_a_whole_case(staff_app)


def _token(staff: Staff, role: Role) -> str:
    if role is Role.CONFIDANT:  # the confidant who registered the contact, from its own organisation
        return staff.token(role.value, tenants=[staff.tenant, OTHER_CONFIDANT_ORG], subject=CONFIDANT)
    return staff.token(role.value, subject=f"reader-{role.value.replace('_', '-')}")


def test_the_probes_cover_every_name_of_the_table() -> None:
    assert set(PROBES) == set(EVERY_NAME)


@pytest.mark.parametrize("role", sorted(READERS, key=lambda r: r.value), ids=lambda r: r.value)
async def test_each_role_sees_exactly_its_row_of_the_table(
    staff: Staff, whole_case: UUID, role: Role
) -> None:
    response = await staff.case_file(whole_case, _token(staff, role))

    assert response.status_code == 200, response.text
    body = response.json()
    granted = CASE_FILE_TABLE[role]
    assert (body["read_as"], body["case_id"]) == (role.value, str(whole_case))
    assert body["shown"] == [name for name in EVERY_NAME if name in granted]
    for name, (probe, value) in PROBES.items():
        if name in granted:
            assert probe(body) == value, f"{role.value} should see {name}"
        else:
            assert probe(body) is None, f"{role.value} must not see {name}"
    served = (await staff.access_log.for_case(staff.tenant, whole_case))[-1]
    assert (served.role, served.outcome, served.status, served.channel) == (
        role,
        AccessOutcome.SERVED,
        200,
        CHANNEL,
    )
    assert served.shown == tuple(body["shown"])


async def test_no_personal_value_is_in_the_answer_of_a_role_that_may_not_read_it(
    staff: Staff, whole_case: UUID
) -> None:
    """Beyond the probes: the text itself appears nowhere in the answer, not under another key."""
    for role in READERS:
        text = (await staff.case_file(whole_case, _token(staff, role))).text
        for name, value in TEXT.items():
            hidden = name not in CASE_FILE_TABLE[role]
            if hidden and name not in ("complainant.name",):  # the confidant's notes repeat the name
                assert value not in text, f"{role.value} sees {name}"


async def test_another_confidant_does_not_read_the_notes(staff: Staff, whole_case: UUID) -> None:
    other = staff.token("confidant", tenants=[staff.tenant, OTHER_CONFIDANT_ORG], subject="vp-0099")
    body = (await staff.case_file(whole_case, other)).json()
    assert "support.confidant.notes" not in body["shown"]
    assert "support.confidant" in body["shown"]
    assert _dig(body, "support", "confidant", "contacts", 0, "summary") is None
    assert TEXT["support.confidant.notes"] not in str(body)


async def test_a_token_with_several_roles_reads_in_the_most_seeing_and_as_the_organisation(
    staff: Staff, whole_case: UUID
) -> None:
    both = staff.token(
        "care_worker",
        "confidant",
        "complaints_officer",
        tenants=[staff.tenant, OTHER_CONFIDANT_ORG],
        subject=CONFIDANT,
    )
    body = (await staff.case_file(whole_case, both)).json()
    assert body["read_as"] == "complaints_officer"
    assert _dig(body, "support", "confidant", "contacts", 0, "summary") is None
    served = (await staff.access_log.for_case(staff.tenant, whole_case))[-1]
    assert served.role is Role.COMPLAINTS_OFFICER


async def test_the_person_complained_about_never_reads_the_complainants_contact(
    staff: Staff, whole_case: UUID
) -> None:
    """The complaint is about staff member mw-0007: reading as a manager, that person still gets no
    contact; another manager does."""
    about = (await staff.case_file(whole_case, staff.token("manager", subject="mw-0007"))).json()
    other = (await staff.case_file(whole_case, staff.token("manager", subject="mgr-0002"))).json()

    assert "complainant.contact" not in about["shown"]
    assert about["complainant"]["email"] is None
    assert about["complainant"]["name"] == TEXT["complainant.name"]
    assert other["complainant"]["email"] == TEXT["complainant.contact"]
