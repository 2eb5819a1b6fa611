"""The due-date index's fold on its own: a case whose event fails gets no rows and parks every later
event, as the live index parks them; the other cases go on, and a case takes each event whole."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from timer_given import signal, started

from contracts.errors import EventValidationError
from contracts.registry import dump_event
from klachtspoor.eventstore.jsondoc import JsonObject
from klachtspoor.eventstore.port import Position, RecordedEvent
from klachtspoor.policies import PolicyRegistry
from services.escalation.adapters.timer_fold import TIMER_CASES, TIMER_DUE, CaseNotIndexed, TimerIndexFold

TENANT = "demo"
TABLES = {TIMER_DUE: "escalation.timer_due", TIMER_CASES: "escalation.timer_cases"}


class _Copies:
    """A connection that keeps what would be copied (the fold writes nothing else on a first write)."""

    def __init__(self) -> None:
        self.copied: dict[str, list[tuple[Any, ...]]] = {}

    async def execute(self, *_: object) -> None:
        raise AssertionError("nothing written before, so nothing to delete")

    async def copy_records_to_table(self, name: str, **kwargs: Any) -> None:
        self.copied[name] = list(kwargs["records"])


def _stored(case_id: uuid.UUID, version: int, type_name: str, data: dict[str, Any]) -> RecordedEvent:
    return RecordedEvent(
        stream=f"case:{TENANT}:{case_id}",
        version=version,
        position=Position(1, version),
        event_id=uuid.uuid4(),
        type=type_name,
        tenant=TENANT,
        data=JsonObject(json.dumps(data)),
        metadata=JsonObject(json.dumps({"case_id": str(case_id)})),
        schema_version=1,
        recorded_at=datetime(2026, 3, 5, tzinfo=UTC),
    )


def _opened(case_id: uuid.UUID) -> list[RecordedEvent]:
    term = started()
    return [
        _stored(case_id, 0, "SignalReceived", dump_event(signal())),
        _stored(case_id, 1, "TermStarted", dump_event(term)),
    ]


async def test_a_failed_case_gets_no_rows_and_parks_its_later_events() -> None:
    failing, fine = uuid.uuid4(), uuid.uuid4()
    fold = TimerIndexFold(PolicyRegistry([]))
    for event in [*_opened(failing), *_opened(fine)]:
        fold.feed(event)
    with pytest.raises(EventValidationError):
        fold.feed(_stored(failing, 2, "TermStarted", {"deadline": "first_contact"}))
    later = _opened(failing)[1]._replace(version=3)
    with pytest.raises(CaseNotIndexed):
        fold.feed(later)

    conn = _Copies()
    await fold.write(conn, TABLES, complete=True)  # type: ignore[arg-type]
    assert [row[2] for row in conn.copied["timer_cases"]] == [fine]
    assert [row[0] for row in conn.copied["timer_due"]] == [f"case:{TENANT}:{fine}"]
    assert conn.copied["timer_cases"][0][3] == 1  # the last version folded
