"""A retried request with the same Idempotency-Key appends nothing twice and answers as the first time;
the same key for another request is refused; without a key every request is a new command."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from staff_helpers import Staff, on

TALK = {"held_on": "2026-03-05", "step": "care_worker", "result": "unresolved"}
NAME = "record-informal-conversation"


async def test_a_retry_with_the_same_key_is_answered_from_the_case_and_appends_nothing(staff: Staff) -> None:
    case_id = await staff.open_case()
    token = staff.token("care_worker")
    first = await staff.command(case_id, NAME, TALK, token, key="gesprek-1")
    assert first.status_code == 200, first.text
    assert "idempotent-replayed" not in first.headers
    staff.clock.now = on(date(2026, 3, 9))  # the retry comes days later: still the same command
    retry = await staff.command(case_id, NAME, TALK, token, key="gesprek-1")
    assert retry.status_code == 200, retry.text
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.json() == {**first.json(), "replayed": True}
    case = await staff.load(case_id)
    held = [e for e in case.events if e.type == "InformalConversationHeld"]
    assert len(held) == 1
    assert held[0].causation_id == UUID(first.json()["command_id"])
    assert held[0].occurred_at == on(date(2026, 3, 5))


async def test_the_same_key_for_another_request_is_refused(staff: Staff) -> None:
    case_id = await staff.open_case()
    token = staff.token("care_worker")
    assert (await staff.command(case_id, NAME, TALK, token, key="k-2")).status_code == 200
    other = await staff.command(case_id, NAME, {**TALK, "result": "resolved"}, token, key="k-2")
    assert other.status_code == 422, other.text
    assert other.json()["errors"] == [
        {"field": "header.Idempotency-Key", "message": "used before for a different request"}
    ]
    assert (await staff.types(case_id)).count("InformalConversationHeld") == 1


async def test_keys_are_per_caller_and_requests_without_a_key_are_new_commands(staff: Staff) -> None:
    case_id = await staff.open_case()
    worker, manager = staff.token("care_worker", subject="mw-1"), staff.token("manager", subject="lg-1")
    answers = [
        await staff.command(case_id, NAME, TALK, worker, key="same"),
        await staff.command(case_id, NAME, TALK, manager, key="same"),
        await staff.command(case_id, NAME, TALK, worker),
        await staff.command(case_id, NAME, TALK, worker),
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 200]
    assert len({a.json()["command_id"] for a in answers}) == 4
    assert not any(a.json()["replayed"] for a in answers)
    assert (await staff.types(case_id)).count("InformalConversationHeld") == 4


async def test_a_rejected_command_retried_is_rejected_again_and_a_multi_event_command_replays_whole(
    staff: Staff,
) -> None:
    case_id = await staff.open_case()
    officer = staff.token("complaints_officer")
    for _ in range(2):
        rejected = await staff.command(
            case_id, "decide-admissibility", {"admissible": True}, officer, key="a-1"
        )
        assert (rejected.status_code, rejected.json()["rule"]) == (409, "complaint_not_filed")
    complaint = {
        "filed_with": "care_worker",
        "channel": "letter",
        "received_on": "2026-03-05",
        "written": True,
        "description": "Het gesprek hielp niet.",
    }
    filed = await staff.command(case_id, "file-complaint", complaint, officer, key="klacht-1")
    again = await staff.command(case_id, "file-complaint", complaint, officer, key="klacht-1")
    assert (
        filed.json()["appended"]
        == again.json()["appended"]
        == ["ComplaintFiled", "TermStarted", "TermStarted"]
    )
    assert (await staff.types(case_id)).count("ComplaintFiled") == 1
    # Without the key the same complaint is a new command, which the decider refuses.
    twice = await staff.command(case_id, "file-complaint", complaint, officer)
    assert (twice.status_code, twice.json()["rule"]) == (409, "complaint_already_filed")
