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


@dataclass
class Log:
    """Every stream and the global log, in one process; the servicer holds one per server."""

    streams: dict[str, list[Recorded]] = field(default_factory=dict)
    all: list[Recorded] = field(default_factory=list)
    next_position: int = 0
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    """Notified after every write, for live subscriptions."""

    def append(
        self, stream: str, expected: Expected | int, events: list[Proposed]
    ) -> Appended | WrongExpected:
        """Append atomically, or refuse when ``expected`` does not hold; a same-ids retry is acknowledged."""
        records = self.streams.get(stream, [])
        current = len(records) - 1 if records else None
        retried = self._retried(records, expected, events)
        if retried is not None:
            return retried
        if not self._holds(expected, current):
            return WrongExpected(current)
        start = -1 if current is None else current
        written: list[Recorded] = []
        for offset, event in enumerate(events, start=1):
            record = Recorded(
                proposed=event,
                stream=stream,
                revision=start + offset,
                commit_position=self.next_position,
                created_ticks=time.time_ns() // 100,
            )
            self.next_position += RECORD_OVERHEAD + len(event.data) + len(event.custom_metadata)
            written.append(record)
        self.streams[stream] = records + written
        self.all.extend(written)
        if not written:
            return Appended(start, self.next_position)
        return Appended(written[-1].revision, written[-1].commit_position)

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
