"""Copying a whole event store into an EventStoreDB one, resumable after an interruption.

The copy reads the source's global log in order and appends each run of consecutive events of one
stream as one append, with the expected version the source gives it (``NO_STREAM`` for version 0, else
the version before), so each stream keeps its order and the target's global log is the source's in
the same order: the hash chains and the global anchors' digests hold on the target as on the source.
Events are appended as stored (:meth:`CopyTarget.append_copied`): metadata with the chain link, and the
moment each was recorded in the source.

Appends are one at a time, so the target always holds a prefix of the source's log. A rerun walks both
logs side by side to the end of the target, checking that every event there is the source's event in
that place, and goes on from there; an append that was written just before an interruption is found
there and not written again, and one that was cut short left nothing (appends are atomic; the event ids
make a resent append a no-op anyway). A target that holds anything else is a :class:`CopyConflict`,
naming the stream and version where it differs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

import orjson

from klachtspoor.eventstore.errors import DuplicateEventId, EventStoreError, WrongExpectedVersion
from klachtspoor.eventstore.port import (
    START,
    AppendResult,
    EventStore,
    ExpectedVersion,
    Position,
    RecordedEvent,
    StreamState,
)
from klachtspoor.moving.events import LogReader, difference, global_log

MAX_APPEND_BYTES = 512 * 1024
"""Payload bytes at most in one append (one event may be larger alone): EventStoreDB refuses appends
over its ``MaxAppendSize``, 1 MiB by default."""

Progress = Callable[[int], None]
"""Told the number of source events the target holds so far."""


class CopyTarget(LogReader, Protocol):
    """A store that can take events as another store recorded them (EventStoreDB's adapter)."""

    async def read_stream(
        self,
        stream: str,
        *,
        from_version: int | None = None,
        backwards: bool = False,
        limit: int | None = None,
    ) -> list[RecordedEvent]: ...

    async def append_copied(
        self, stream: str, events: Sequence[RecordedEvent], expected_version: ExpectedVersion
    ) -> AppendResult: ...


class CopyConflict(EventStoreError):
    """The target holds events that are not the source's in the source's order: nothing more is copied."""

    def __init__(self, stream: str, version: int, event_id: UUID | None, reason: str) -> None:
        self.stream, self.version, self.event_id, self.reason = stream, version, event_id, reason
        which = "" if event_id is None else f" ({event_id})"
        super().__init__(
            f"The target holds other events than the source: at {stream} version {version}{which}, {reason}"
        )


@dataclass(frozen=True, slots=True)
class CopyResult:
    events: int
    """Source events the target holds now, from the start of the source's log."""
    found: int
    """Of those, already in the target when this run started (an earlier, interrupted run)."""
    appends: int
    """Appends this run made."""
    last: Position
    """The source's position of the last event copied (START when the source is empty)."""

    @property
    def copied(self) -> int:
        return self.events - self.found


async def copy_store(
    source: EventStore,
    target: CopyTarget,
    *,
    page: int = 500,
    max_append_bytes: int = MAX_APPEND_BYTES,
    progress: Progress | None = None,
) -> CopyResult:
    """Copy every event of ``source`` that ``target`` does not hold yet. Both are bare adapters: through
    :class:`~klachtspoor.integrity.store.ChainedEventStore` the chain links would be hidden."""
    tell = progress or _quiet
    found, after = await _found(source, target, page, tell)
    events, appends = found, 0
    while batch := await source.read_all(after=after, limit=page):
        for run in _runs(batch, max_append_bytes):
            await _append(target, run)
            events += len(run)
            appends += 1
            tell(events)
        after = batch[-1].position
    return CopyResult(events=events, found=found, appends=appends, last=after)


async def _found(source: EventStore, target: LogReader, page: int, tell: Progress) -> tuple[int, Position]:
    """How many of the source's first events the target holds, checked one by one, and where they end."""
    sources = global_log(source, page)
    count, after = 0, START
    try:
        async for there in global_log(target, page):
            here = await anext(sources, None)
            if here is None:
                raise CopyConflict(there.stream, there.version, there.event_id, "it is not in the source")
            differs = difference(here, there)
            if differs is not None:
                raise CopyConflict(there.stream, there.version, there.event_id, differs)
            count, after = count + 1, here.position
            if count % page == 0:
                tell(count)
    finally:
        await sources.aclose()
    tell(count)
    return count, after


def _runs(events: Sequence[RecordedEvent], max_bytes: int) -> Iterator[list[RecordedEvent]]:
    """Consecutive events of one stream, in log order, at most ``max_bytes`` of payload together."""
    run: list[RecordedEvent] = []
    size = 0
    for event in events:
        event_size = len(orjson.dumps(dict(event.data))) + len(orjson.dumps(dict(event.metadata)))
        if run and (event.stream != run[0].stream or size + event_size > max_bytes):
            yield run
            run, size = [], 0
        run.append(event)
        size += event_size
    if run:
        yield run


async def _append(target: CopyTarget, run: list[RecordedEvent]) -> None:
    first = run[0]
    expected: ExpectedVersion = StreamState.NO_STREAM if first.version == 0 else first.version - 1
    try:
        await target.append_copied(first.stream, run, expected)
    except WrongExpectedVersion as error:
        shown = "no stream" if error.actual is None else f"version {error.actual}"
        raise CopyConflict(
            first.stream, first.version, first.event_id, f"the target's stream is at {shown}"
        ) from error
    except DuplicateEventId as error:
        raise CopyConflict(
            first.stream,
            first.version,
            error.event_id,
            f"the target has event id {error.event_id} in {error.existing_stream or 'another stream'}",
        ) from error


def _quiet(events: int) -> None:
    """No progress to show."""
