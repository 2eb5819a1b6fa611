"""The in-memory log behind the test server: streams, the global log and expected-version checks.

It follows EventStoreDB where the adapter depends on it. Commit positions grow by the size of each record
(so they are not consecutive, and nobody may count on ``+1``); a stream's revisions start at 0. Whether an
append or a deletion may go ahead is decided in :mod:`.checks`, after EventStoreDB's own rules. The log
starts with system events (:mod:`.system`), as a real ``$all`` does, and a soft deletion and the
recreation of a soft-deleted stream write ``$metadata`` events to the stream's ``$$`` metadata stream.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass, field

from .checks import (
    DELETED,
    Appended,
    Expected,
    Idempotent,
    Proposed,
    Recorded,
    StreamDeleted,
    WrongExpected,
    check_append,
    check_delete,
)
from .system import SYSTEM_EVENTS

RECORD_OVERHEAD = 97
"""Bytes a record takes besides its payload; chosen odd so positions never look like counters."""

TOMBSTONE_REVISION = DELETED
"""The revision of the ``$streamDeleted`` event EventStoreDB writes when it tombstones a stream."""

__all__ = [
    "RECORD_OVERHEAD",
    "TOMBSTONE_REVISION",
    "Appended",
    "Expected",
    "Log",
    "Proposed",
    "Recorded",
    "StreamDeleted",
    "WrongExpected",
]


def metastream(stream: str) -> str:
    """EventStoreDB's name of ``stream``'s metadata stream (``SystemStreams.MetastreamOf``)."""
    return f"$${stream}"


@dataclass
class Log:
    """Every stream and the global log, in one process; the servicer holds one per server."""

    streams: dict[str, list[Recorded]] = field(default_factory=dict)
    all: list[Recorded] = field(default_factory=list)
    next_position: int = 0
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    """Notified after every write, for live subscriptions."""
    truncate_before: dict[str, int] = field(default_factory=dict)
    """Each stream's ``$tb`` metadata: reads show only revisions from it on; ``DELETED`` when the stream is
    soft-deleted."""
    tombstoned: set[str] = field(default_factory=set)
    retry_positions: bool = True
    """How a same-ids retry is answered: with the original commit position, as EventStoreDB answers
    since it keeps an idempotent write's log position (``CommitCheckResult.IdempotentLogPosition``);
    False answers without a position, as older servers did."""

    def __post_init__(self) -> None:
        for stream, event_type, data in SYSTEM_EVENTS:
            self._file(stream, Proposed(uuid.uuid4(), event_type, "application/json", data, b""))

    def visible(self, stream: str) -> list[Recorded] | StreamDeleted | None:
        """A stream's records as reads show them; None when it does not exist (or is soft-deleted)."""
        if stream in self.tombstoned:
            return StreamDeleted()
        start = self.truncate_before.get(stream, 0)
        records = [r for r in self.streams.get(stream, []) if r.revision >= start]
        return records or None

    def soft_deleted(self, stream: str) -> bool:
        return self.truncate_before.get(stream) == DELETED

    def delete(
        self, stream: str, expected: Expected | int, *, tombstone: bool
    ) -> int | WrongExpected | StreamDeleted:
        """Soft-delete (the stream may be written again, revisions continuing) or tombstone it for good.

        Either way its events stay in the global log. A soft deletion sets the stream's ``$tb`` to
        ``DELETED`` in its metadata stream; a tombstone adds a ``$streamDeleted`` event to the stream.
        The result is the global position of the deletion.
        """
        refused = check_delete(self, stream, expected, tombstone=tombstone)
        if refused is not None:
            return refused
        if tombstone:
            self.tombstoned.add(stream)
            marker = Proposed(uuid.uuid4(), "$streamDeleted", "application/octet-stream", b"", b"")
            self._write(stream, TOMBSTONE_REVISION, marker)
        else:
            self._set_truncate_before(stream, DELETED)
        return self.next_position

    def append(
        self, stream: str, expected: Expected | int, events: list[Proposed]
    ) -> Appended | WrongExpected | StreamDeleted:
        """Append atomically, or refuse when ``expected`` does not hold; a same-ids retry is acknowledged
        with the retried batch's last revision and commit position, writing nothing."""
        decision = check_append(self, stream, expected, [e.id for e in events])
        match decision:
            case Idempotent(last=last):
                return Appended(last.revision, last.commit_position, retried=True)
            case WrongExpected() | StreamDeleted():
                return decision
        records = self.streams.get(stream, [])
        first = records[-1].revision + 1 if records else 0
        if self.soft_deleted(stream):
            # Recreating a soft-deleted stream: reads show it again from its first new revision on.
            self._set_truncate_before(stream, first)
        written = [self._write(stream, first + n, event) for n, event in enumerate(events)]
        self.streams[stream] = records + written
        if not written:
            return Appended(first - 1, self.next_position)
        return Appended(written[-1].revision, written[-1].commit_position)

    def _set_truncate_before(self, stream: str, revision: int) -> None:
        """Write stream metadata as EventStoreDB does: a ``$metadata`` event in the ``$$`` stream."""
        self.truncate_before[stream] = revision
        data = json.dumps({"$tb": revision}).encode()
        self._file(metastream(stream), Proposed(uuid.uuid4(), "$metadata", "application/json", data, b""))

    def _file(self, stream: str, event: Proposed) -> Recorded:
        """Write ``event`` at the end of ``stream`` and of the global log."""
        records = self.streams.setdefault(stream, [])
        record = self._write(stream, len(records), event)
        records.append(record)
        return record

    def _write(self, stream: str, revision: int, event: Proposed) -> Recorded:
        """Put one record at the end of the global log (the caller files it in its stream)."""
        record = Recorded(event, stream, revision, self.next_position, time.time_ns() // 100)
        self.next_position += RECORD_OVERHEAD + len(event.data) + len(event.custom_metadata)
        self.all.append(record)
        return record
