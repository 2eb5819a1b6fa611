"""Cases for the history tests, on the store's clock: PostgreSQL records each append at the real time, so
the app's clock follows it (the server's now of each request, as in production)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import httpx
from staff_helpers import Staff

from contracts.vocabulary import Role

TALK = "record-informal-conversation"


async def open_now(staff: Staff) -> UUID:
    """A case opened now on the store's clock, the server's clock just after (PostgreSQL's recorded_at is
    the real time, so the test clock follows it)."""
    staff.clock.now = datetime.now(UTC)
    case_id = await staff.open_case()
    staff.clock.now = datetime.now(UTC) + timedelta(seconds=1)
    return case_id


async def case_with_a_late_escalation(staff: Staff) -> tuple[UUID, datetime]:
    """A case whose conversation was recorded, then an escalation about half an hour before that was
    recorded after it. Returns the case and the moment the conversation was recorded."""
    staff.clock.now = datetime.now(UTC)
    case_id = await staff.open_case()
    today = staff.clock.now.date().isoformat()
    talk = {"held_on": today, "step": "care_worker", "result": "unresolved"}
    staff.clock.now = datetime.now(UTC)  # the server's now of each request, as in production
    await staff.as_role(case_id, TALK, talk, Role.CARE_WORKER.value)
    conversation = (await staff.load(case_id)).events[-1]
    assert conversation.type == "InformalConversationHeld" and conversation.recorded_at is not None
    staff.clock.now = conversation.recorded_at - timedelta(minutes=30)
    escalate = {"to_step": "manager", "reason": "unresolved"}
    await staff.as_role(case_id, "escalate", escalate, Role.CARE_WORKER.value)
    staff.clock.now = datetime.now(UTC) + timedelta(seconds=1)
    return case_id, conversation.recorded_at


def _path(staff: Staff, case_id: UUID, tenant: str | None = None) -> str:
    return f"/v1/tenants/{tenant or staff.tenant}/cases/{case_id}/history"


async def history(
    staff: Staff, case_id: UUID, token: str, as_of: str | None = None, tenant: str | None = None
) -> httpx.Response:
    params = {} if as_of is None else {"as_of": as_of}
    headers = {"Authorization": f"Bearer {token}"}
    return await staff.client.get(_path(staff, case_id, tenant), params=params, headers=headers)
