"""The in-memory log behind the test server: streams, the global log and expected-version checks.

It follows EventStoreDB's documented behaviour where the adapter depends on it: commit positions grow
by the size of each record (so they are not consecutive, and nobody may count on ``+1``); a stream's
revisions start at 0; an append repeated with the same event ids at the same expected revision is
acknowledged again without writing (idempotent retry); an expected revision that does not match is
refused with the stream's current revision.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from enum import Enum

RECORD_OVERHEAD = 97
"""Bytes a record takes besides its payload; chosen odd so positions never look like counters."""


class Expected(Enum):
    """The expected-revision options of an append that are not an exact revision."""

    ANY = "any"
    NO_STREAM = "no_stream"
    STREAM_EXISTS = "stream_exists"


@dataclass(frozen=True)
class Proposed:
    """One event as the client proposes it."""

    id: uuid.UUID
    type: str
    content_type: str
    data: bytes
    custom_metadata: bytes


@dataclass(frozen=True)
class Recorded:
    """One event as written: the proposal plus where it landed."""

    proposed: Proposed
    stream: str
    revision: int
    commit_position: int
    created_ticks: int
    """.NET ticks (100 ns since the Unix epoch), as EventStoreDB puts in the ``created`` metadata."""


@dataclass(frozen=True)
class Appended:
    """A successful append: the stream's new last revision and the batch's commit position.

    ``retried`` marks an idempotent retry: EventStoreDB then answers without a position.
    """

    revision: int
    commit_position: int
    retried: bool = False


@dataclass(frozen=True)
class WrongExpected:
    """A refused append: ``current`` is None when the stream does not exist."""

    current: int | None


@dataclass(frozen=True)
class StreamDeleted:
    """A refused write or read: the stream was tombstoned and can never be used again."""


TOMBSTONE_REVISION = 2**63 - 1
"""The revision of the ``$streamDeleted`` event EventStoreDB writes when it tombstones a stream."""


@dataclass
class Log:
    """Every stream and the global log, in one process; the servicer holds one per server."""

    streams: dict[str, list[Recorded]] = field(default_factory=dict)
    all: list[Recorded] = field(default_factory=list)
    next_position: int = 0
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    """Notified after every write, for live subscriptions."""
    hidden: dict[str, int] = field(default_factory=dict)
    """Soft-deleted streams: how many of their first records reads no longer show."""
    tombstoned: set[str] = field(default_factory=set)

    def visible(self, stream: str) -> list[Recorded] | StreamDeleted | None:
        """A stream's records as reads show them; None when it does not exist (or was soft-deleted)."""
        if stream in self.tombstoned:
            return StreamDeleted()
        records = self.streams.get(stream, [])[self.hidden.get(stream, 0) :]
        return records or None

    def delete(
        self, stream: str, expected: Expected | int, *, tombstone: bool
    ) -> int | WrongExpected | StreamDeleted:
        """Soft-delete (the stream may be written again, revisions continuing) or tombstone it for good.

        Either way its events stay in the global log; a tombstone adds a ``$streamDeleted`` event there.
        The result is the global position of the deletion.
        """
        visible = self.visible(stream)
        if isinstance(visible, StreamDeleted):
            return visible
        current = None if visible is None else visible[-1].revision
        if not self._holds(expected, current):
            return WrongExpected(current)
        self.hidden[stream] = len(self.streams.get(stream, []))
        if tombstone:
            self.tombstoned.add(stream)
            marker = Proposed(uuid.uuid4(), "$streamDeleted", "application/octet-stream", b"", b"")
            self._write(stream, TOMBSTONE_REVISION, marker)
        return self.next_position

    def append(
        self, stream: str, expected: Expected | int, events: list[Proposed]
    ) -> Appended | WrongExpected | StreamDeleted:
        """Append atomically, or refuse when ``expected`` does not hold; a same-ids retry is acknowledged."""
        visible = self.visible(stream)
        if isinstance(visible, StreamDeleted):
            return visible
        records = self.streams.get(stream, [])
        current = None if visible is None else visible[-1].revision
        retried = self._retried(records, expected, events)
        if retried is not None:
            return retried
        if not self._holds(expected, current):
            return WrongExpected(current)
        written = [self._write(stream, len(records) + n, event) for n, event in enumerate(events)]
        self.streams[stream] = records + written
        if not written:
            return Appended(-1 if current is None else current, self.next_position)
        return Appended(written[-1].revision, written[-1].commit_position)

    def _write(self, stream: str, revision: int, event: Proposed) -> Recorded:
        """Put one record at the end of the global log (the caller files it in its stream)."""
        record = Recorded(event, stream, revision, self.next_position, time.time_ns() // 100)
        self.next_position += RECORD_OVERHEAD + len(event.data) + len(event.custom_metadata)
        self.all.append(record)
        return record

    @staticmethod
    def _holds(expected: Expected | int, current: int | None) -> bool:
        match expected:
            case Expected.ANY:
                return True
            case Expected.NO_STREAM:
                return current is None
            case Expected.STREAM_EXISTS:
                return current is not None
            case int():
                return current == expected

    @staticmethod
    def _retried(
        records: list[Recorded], expected: Expected | int, events: list[Proposed]
    ) -> Appended | None:
        """The earlier result when the same event ids were already written right after ``expected``."""
        if not events:
            return None
        match expected:
            case Expected.NO_STREAM:
                first = 0
            case int():
                first = expected + 1
            case Expected.ANY | Expected.STREAM_EXISTS:
                ids = [r.proposed.id for r in records]
                if events[0].id not in ids:
                    return None
                first = ids.index(events[0].id)
        window = records[first : first + len(events)]
        if [r.proposed.id for r in window] != [e.id for e in events]:
            return None
        return Appended(window[-1].revision, window[-1].commit_position, retried=True)
