"""The event store port, with the semantics of EventStoreDB.

Appends are atomic per stream and checked against an expected version; retrying the same event ids at
the same expected version succeeds once without duplicates. Every committed event has a global
:class:`Position`; reading the global log never skips an event that commits late.
"""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple
from uuid import UUID

from klachtspoor.eventstore.errors import InvalidAppend, InvalidStreamName, PayloadTooLarge


class StreamState(StrEnum):
    """Expected versions that are not a number."""

    ANY = "any"
    NO_STREAM = "no_stream"
    EXISTS = "exists"


ExpectedVersion = int | StreamState
"""An exact version (0-based index of the stream's last event) or a :class:`StreamState`."""


class Position(NamedTuple):
    """A place in the global log, ordered, opaque to callers beyond ordering and (de)serialising.

    PostgreSQL: (transaction id, sequence); EventStoreDB: (commit, prepare); in-memory: (n, n).
    A named tuple rather than a frozen dataclass: one is made per event read, on the hot path.
    """

    commit: int
    sequence: int

    def __str__(self) -> str:
        return f"{self.commit}/{self.sequence}"

    @classmethod
    def parse(cls, text: str) -> Position:
        commit, _, sequence = text.partition("/")
        return cls(int(commit), int(sequence))


START = Position(-1, -1)
"""Before every event: reading after START reads from the beginning."""


@dataclass(frozen=True, slots=True)
class NewEvent:
    event_id: UUID
    type: str
    tenant: str
    data: Mapping[str, Any]
    metadata: Mapping[str, Any] = field(default_factory=dict)
    schema_version: int = 1


class RecordedEvent(NamedTuple):
    """An event as the store returns it; immutable (a named tuple: cheap to make, on the read hot path)."""

    stream: str
    version: int
    position: Position
    event_id: UUID
    type: str
    tenant: str
    data: Mapping[str, Any]
    metadata: Mapping[str, Any]
    schema_version: int
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class AppendResult:
    version: int
    """The stream's version after the append: the expected version for the next one."""
    position: Position
    """Global position of the last event appended (or found, on an idempotent retry)."""


@dataclass(frozen=True, slots=True)
class LogFilter:
    """Server-side filter for the global log: kinds are AND-ed, values within a kind OR-ed."""

    tenants: frozenset[str] | None = None
    stream_prefixes: tuple[str, ...] | None = None
    event_types: frozenset[str] | None = None

    def matches(self, event: RecordedEvent) -> bool:
        return (
            (self.tenants is None or event.tenant in self.tenants)
            and (self.stream_prefixes is None or event.stream.startswith(self.stream_prefixes))
            and (self.event_types is None or event.type in self.event_types)
        )


class EventStore(ABC):
    """Port. Adapters: PostgreSQL (asyncpg), in-memory (unit tests), EventStoreDB (esdbclient)."""

    max_event_bytes: int = 256 * 1024

    @abstractmethod
    async def append(
        self, stream: str, events: Sequence[NewEvent], expected_version: ExpectedVersion
    ) -> AppendResult:
        """Append atomically; raise WrongExpectedVersion, DuplicateEventId, PayloadTooLarge, …"""

    @abstractmethod
    async def read_stream(
        self,
        stream: str,
        *,
        from_version: int | None = None,
        backwards: bool = False,
        limit: int | None = None,
    ) -> list[RecordedEvent]:
        """Events of one stream from ``from_version`` (inclusive); an unknown stream reads as empty.

        Forwards, ``from_version=None`` means the start; backwards, it means the end.
        """

    @abstractmethod
    async def read_all(
        self, *, after: Position = START, filter: LogFilter | None = None, limit: int = 1000
    ) -> list[RecordedEvent]:
        """The next committed events of the global log strictly after ``after``, in log order."""

    @abstractmethod
    def subscribe(
        self, *, after: Position = START, filter: LogFilter | None = None, batch_size: int = 500
    ) -> AsyncIterator[RecordedEvent]:
        """Catch up from ``after`` and then stay live, yielding every matching event exactly once."""

    @abstractmethod
    async def close(self) -> None:
        """Release connections. The store is unusable afterwards."""

    def check_append(self, stream: str, events: Sequence[NewEvent]) -> list[tuple[str, str]]:
        """Validation every adapter runs before touching storage, so bad input writes nothing.

        Returns each event's data and metadata as the compact JSON whose size was checked, so an adapter
        that stores JSON text does not serialise the payload twice.
        """
        check_stream_name(stream)
        if not events:
            raise InvalidAppend(f"Append to {stream} has no events")
        ids = [e.event_id for e in events]
        if len(set(ids)) != len(ids):
            raise InvalidAppend(f"Append to {stream} repeats an event id: {ids}")
        encoded = []
        for event in events:
            if not TENANT_RE.fullmatch(event.tenant):
                raise InvalidAppend(f"Event {event.event_id} names an invalid tenant {event.tenant!r}")
            if not event.type or len(event.type) > 200 or event.type.startswith("$"):
                # A leading "$" marks EventStoreDB's system events, which reads of the log leave out.
                raise InvalidAppend(f"Event {event.event_id} has an invalid type {event.type!r}")
            data, metadata = encode_payload(event)
            size = len(data) + len(metadata)
            if size > self.max_event_bytes:
                raise PayloadTooLarge(event.event_id, event.type, size, self.max_event_bytes)
            encoded.append((data, metadata))
        return encoded


TENANT_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_STREAM_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:@$-]{0,254}")
"""Not starting with "$": EventStoreDB's system streams, which reads of the log leave out."""


def check_stream_name(stream: str) -> None:
    if not _STREAM_RE.fullmatch(stream):
        raise InvalidStreamName(stream, "use 1-255 letters, digits and _ . : @ $ -, not starting with $")


_JSON = json.JSONEncoder(separators=(",", ":"), allow_nan=False)
"""Built once: json.dumps with non-default options builds a new encoder on every call."""


def encode_payload(event: NewEvent) -> tuple[str, str]:
    """Data and metadata as compact JSON; a payload JSON cannot represent is an InvalidAppend."""
    try:
        return _JSON.encode(event.data), _JSON.encode(event.metadata)
    except (TypeError, ValueError) as exc:
        raise InvalidAppend(
            f"Event {event.event_id} ({event.type}) has a payload that is not JSON: {exc}"
        ) from exc


def payload_size(event: NewEvent) -> int:
    data, metadata = encode_payload(event)
    return len(data) + len(metadata)
