"""``GET …/cases/{case_id}/history?as_of=T`` on the real store: what was recorded by T, who may read it, bad
moments as problems, and an access-log record for every read, served or refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import pytest
from history_given import case_with_a_late_escalation, history, open_now
from staff_helpers import OTHER_PROVIDER, Staff

from contracts.vocabulary import Role
from klachtspoor.accesslog import AccessOutcome, AccessRecord
from klachtspoor.eventstore.streams import case_stream
from services.escalation.entrypoints.history_route import CHANNEL
from services.escalation.entrypoints.roles import READ_HISTORY


async def reads(staff: Staff, case_id: UUID) -> list[AccessRecord]:
    return await staff.access_log.for_case(staff.tenant, case_id)


async def test_the_replay_holds_what_was_recorded_by_then_and_marks_the_late_event_after(
    staff: Staff,
) -> None:
    case_id, conversation_recorded = await case_with_a_late_escalation(staff)
    auditor = staff.token(Role.AUDITOR.value, subject="audit-0001")

    then = await history(staff, case_id, auditor, conversation_recorded.isoformat())
    assert then.status_code == 200, then.text
    body = then.json()
    assert [e["type"] for e in body["timeline"]] == [
        "SignalReceived",
        "CaseReferenceAssigned",
        "ProcedurePolicyPinned",
        "InformalConversationHeld",
    ]
    assert not any(e["recorded_late"] for e in body["timeline"])
    assert body["recorded_after"] == 1
    assert body["policy"] == {"policy_id": "so-trainingsbureau", "policy_version": 1}
    assert body["state"]["step"] == "care_worker"

    now = await history(staff, case_id, auditor)
    assert now.status_code == 200, now.text
    timeline = now.json()["timeline"]
    late = [e for e in timeline if e["recorded_late"]]
    assert [e["type"] for e in late] == ["EscalatedToNextStep"]
    assert late[0]["actor"] == {"id": "account-0001", "role": "care_worker"}
    assert late[0]["label"] == "Naar volgende stap"
    assert now.json()["state"]["step"] == "manager"
    assert now.json()["chain"]["status"] == "intact"

    logged = await reads(staff, case_id)
    assert [(r.subject, r.role, r.outcome, r.channel) for r in logged] == [
        ("audit-0001", Role.AUDITOR, AccessOutcome.SERVED, CHANNEL),
    ] * 2
    assert logged[0].shown == ("state", "terms", "timeline", "chain")


async def test_personal_values_are_withheld_by_name(staff: Staff) -> None:
    case_id = await open_now(staff)
    response = await history(staff, case_id, staff.token(Role.COMPLAINTS_OFFICER.value))
    assert response.status_code == 200, response.text
    signal = response.json()["timeline"][0]
    assert set(signal["withheld"]) == {"complainant.name", "complainant.email", "description"}
    for value in ("Voorbeeld Cliënt", "client@example.org", "Mijn mentor luistert niet naar mij."):
        assert value not in response.text


@pytest.mark.parametrize("role", sorted(r.value for r in READ_HISTORY))
async def test_the_roles_that_read_history(staff: Staff, role: str) -> None:
    case_id = await open_now(staff)
    response = await history(staff, case_id, staff.token(role))
    assert response.status_code == 200, response.text
    (record,) = await reads(staff, case_id)
    assert (record.role, record.outcome) == (Role(role), AccessOutcome.SERVED)


@pytest.mark.parametrize("role", sorted(r.value for r in Role if r not in READ_HISTORY))
async def test_every_other_role_is_refused_and_the_refusal_logged(staff: Staff, role: str) -> None:
    case_id = await open_now(staff)
    response = await history(staff, case_id, staff.token(role))
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"
    (record,) = await reads(staff, case_id)
    assert (record.outcome, record.status, record.shown) == (AccessOutcome.REFUSED, 403, ())


async def test_a_token_of_another_tenant_learns_nothing_and_is_logged(staff: Staff) -> None:
    case_id = await open_now(staff)
    response = await history(staff, case_id, staff.token("auditor", tenants=[OTHER_PROVIDER]))
    assert response.status_code == 404, response.text
    (record,) = await reads(staff, case_id)
    assert (record.outcome, record.status, record.role) == (AccessOutcome.REFUSED, 404, None)


async def test_an_unknown_case_is_404_and_logged(staff: Staff) -> None:
    case_id = uuid4()
    response = await history(staff, case_id, staff.token("auditor"))
    assert response.status_code == 404, response.text
    assert response.headers["content-type"] == "application/problem+json"
    (record,) = await reads(staff, case_id)
    assert (record.outcome, record.status) == (AccessOutcome.REFUSED, 404)


def _bad_moments(opened: datetime) -> dict[str, str]:
    return {
        "future": (datetime.now(UTC) + timedelta(hours=1)).isoformat(),
        "before the case": (opened - timedelta(days=1)).isoformat(),
        "naive": "2026-03-05T10:00:00",
        "not a moment": "gisteren",
    }


RULES = {
    "future": "as_of_in_future",
    "before the case": "as_of_before_case",
    "naive": None,
    "not a moment": None,
}
"""A well-formed moment that cannot be replayed names its rule; a malformed one breaks the format."""


@pytest.mark.parametrize("kind", list(RULES))
async def test_a_bad_moment_is_422_naming_as_of_writes_no_event_and_is_logged(
    staff: Staff, kind: str
) -> None:
    staff.clock.now = datetime.now(UTC)
    case_id = await staff.open_case()
    before = (await staff.load(case_id)).version
    staff.clock.now = datetime.now(UTC) + timedelta(seconds=1)
    response = await history(staff, case_id, staff.token("auditor"), _bad_moments(staff.clock.now)[kind])
    assert response.status_code == 422, response.text
    problem: dict[str, Any] = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in problem["errors"]] == ["query.as_of"]
    assert problem["errors"][0].get("rule") == RULES[kind]
    assert (await staff.load(case_id)).version == before
    (record,) = await reads(staff, case_id)
    assert (record.outcome, record.status) == (AccessOutcome.REFUSED, 422)


async def test_an_erased_case_still_replays_before_and_after_its_erasure(staff: Staff) -> None:
    case_id = await open_now(staff)
    before_erasure = datetime.now(UTC)
    staff.clock.now = datetime.now(UTC)
    erase = {"reason": "erasure_request", "request_reference": "AVG-2026-0042"}
    erased = await staff.command(case_id, "erase", erase, staff.token("privacy_officer"))
    assert erased.status_code == 200, erased.text
    staff.clock.now = datetime.now(UTC) + timedelta(seconds=1)
    auditor = staff.token("auditor")

    then = await history(staff, case_id, auditor, before_erasure.isoformat())
    now = await history(staff, case_id, auditor)

    assert then.status_code == 200 and now.status_code == 200, (then.text, now.text)
    assert then.json()["state"]["erased"] is False and then.json()["recorded_after"] == 1
    assert now.json()["state"]["erased"] is True
    assert now.json()["timeline"][-1]["type"] == "PersonalDataErased"
    assert now.json()["timeline"][0]["withheld"] == then.json()["timeline"][0]["withheld"]


async def test_an_event_altered_in_the_database_shows_as_a_broken_chain(staff: Staff) -> None:
    case_id = await open_now(staff)
    auditor = staff.token("auditor")
    intact = await history(staff, case_id, auditor)
    assert intact.json()["chain"] == {"status": "intact", "checked": 3, "first_break": None, "detail": None}

    stream = case_stream(staff.tenant, str(case_id))
    conn = await asyncpg.connect(staff.env["KLACHTSPOOR_DATABASE_URL"])
    try:
        await conn.execute(
            "UPDATE eventstore.events SET data = jsonb_set(data, '{reference}', '\"KS-2026-999999\"')"
            " WHERE stream_name = $1 AND version = 1",
            stream,
        )
    finally:
        await conn.close()
    broken = await history(staff, case_id, auditor)

    assert broken.status_code == 200, broken.text
    chain = broken.json()["chain"]
    assert (chain["status"], chain["first_break"]["version"]) == ("broken", 1)
    assert chain["first_break"]["stream"] == stream and chain["first_break"]["problem"] == "content hash"
    assert broken.json()["state"]["reference"] == "KS-2026-999999"  # shown as stored, flagged as altered
