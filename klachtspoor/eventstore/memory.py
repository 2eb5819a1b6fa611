"""In-memory adapter: for pure unit tests only. Same semantics as the real adapters, no persistence."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from uuid import UUID

from klachtspoor.eventstore.errors import (
    DuplicateEventId,
    InvalidAppend,
    StoreUnavailable,
    WrongExpectedVersion,
)
from klachtspoor.eventstore.port import (
    START,
    AppendResult,
    EventStore,
    ExpectedVersion,
    LogFilter,
    NewEvent,
    Position,
    RecordedEvent,
    StreamState,
)


class InMemoryEventStore(EventStore):
    def __init__(self, max_event_bytes: int = 256 * 1024) -> None:
        self.max_event_bytes = max_event_bytes
        self._log: list[RecordedEvent] = []
        self._streams: dict[str, list[RecordedEvent]] = {}
        self._by_id: dict[UUID, RecordedEvent] = {}
        self._changed = asyncio.Condition()
        self._closed = False

    async def append(
        self, stream: str, events: Sequence[NewEvent], expected_version: ExpectedVersion
    ) -> AppendResult:
        self._check_open()
        self.check_append(stream, events)
        if isinstance(expected_version, int) and expected_version < 0:
            raise InvalidAppend(f"Expected version {expected_version} is negative; use a StreamState")
        existing = self._streams.get(stream, [])
        retried = self._idempotent_result(stream, events, existing)
        if retried is not None:
            return retried
        current = len(existing) - 1 if existing else None
        _check_expected(stream, expected_version, current)
        recorded_at = datetime.now(UTC)
        stream_events = self._streams.setdefault(stream, [])
        for event in events:
            sequence = len(self._log)
            record = RecordedEvent(
                stream=stream,
                version=len(stream_events),
                position=Position(sequence, sequence),
                event_id=event.event_id,
                type=event.type,
                tenant=event.tenant,
                data=dict(event.data),
                metadata=dict(event.metadata),
                schema_version=event.schema_version,
                recorded_at=recorded_at,
            )
            self._log.append(record)
            stream_events.append(record)
            self._by_id[event.event_id] = record
        async with self._changed:
            self._changed.notify_all()
        last = stream_events[-1]
        return AppendResult(version=last.version, position=last.position)

    def _idempotent_result(
        self, stream: str, events: Sequence[NewEvent], existing: list[RecordedEvent]
    ) -> AppendResult | None:
        """A retry of an earlier append succeeds with its first result; a clash is an error."""
        first = self._by_id.get(events[0].event_id)
        if first is None:
            for event in events[1:]:
                clash = self._by_id.get(event.event_id)
                if clash is not None:
                    raise DuplicateEventId(event.event_id, stream, clash.stream)
            return None
        if first.stream != stream:
            raise DuplicateEventId(first.event_id, stream, first.stream)
        tail = existing[first.version : first.version + len(events)]
        if [r.event_id for r in tail] != [e.event_id for e in events]:
            raise DuplicateEventId(first.event_id, stream, stream)
        return AppendResult(version=tail[-1].version, position=tail[-1].position)

    async def read_stream(
        self,
        stream: str,
        *,
        from_version: int | None = None,
        backwards: bool = False,
        limit: int | None = None,
    ) -> list[RecordedEvent]:
        self._check_open()
        events = self._streams.get(stream, [])
        if backwards:
            end = len(events) if from_version is None else from_version + 1
            selected = list(reversed(events[:end]))
        else:
            selected = events[from_version or 0 :]
        return selected if limit is None else selected[:limit]

    async def read_all(
        self, *, after: Position = START, filter: LogFilter | None = None, limit: int = 1000
    ) -> list[RecordedEvent]:
        self._check_open()
        start = after.sequence + 1
        found: list[RecordedEvent] = []
        for record in self._log[max(start, 0) :]:
            if filter is None or filter.matches(record):
                found.append(record)
                if len(found) >= limit:
                    break
        return found

    async def subscribe(
        self, *, after: Position = START, filter: LogFilter | None = None, batch_size: int = 500
    ) -> AsyncIterator[RecordedEvent]:
        position = after
        while True:
            batch = await self.read_all(after=position, filter=filter, limit=batch_size)
            for record in batch:
                position = record.position
                yield record
            if not batch:
                # Nothing matched: jump to the head so filtered-out events are not rescanned.
                if self._log and filter is not None:
                    position = max(position, self._log[-1].position)
                async with self._changed:
                    if not self._log or self._log[-1].position <= position:
                        await self._changed.wait()

    async def close(self) -> None:
        self._closed = True

    def _check_open(self) -> None:
        if self._closed:
            raise StoreUnavailable("The in-memory event store is closed")


def _check_expected(stream: str, expected: ExpectedVersion, current: int | None) -> None:
    match expected:
        case StreamState.ANY:
            return
        case StreamState.NO_STREAM:
            ok = current is None
        case StreamState.EXISTS:
            ok = current is not None
        case int():
            ok = current == expected
    if not ok:
        raise WrongExpectedVersion(stream, expected, current)
