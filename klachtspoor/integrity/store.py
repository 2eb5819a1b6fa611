"""The event store decorator that chains every append: what every writer of the product goes through.

It works above any adapter (PostgreSQL, EventStoreDB, in-memory), so the chain means the same on each.
To link an event it needs the hash of the stream's head:

* after an exact version, of the event at that version: from a small LRU of each stream's last
  (version, hash) read through this store, so the usual load-then-append costs no extra query; else one
  read of that event. Appends do not fill it: a retried append is answered with the first one's result,
  and the first one may have carried other metadata, so only what was read is known to be stored;
* expecting any version or an existing stream, of the stream's last event, read first; the append then
  goes with that exact version, and is tried again (bounded) when another writer moved the stream meanwhile.
  Two writers can therefore never both link to the same head: a chain cannot fork.

Hashes are deterministic, so a retry with the same event ids is recognised by the adapter as before.
Reads return metadata without the link (:class:`~klachtspoor.integrity.chain.ChainedMetadata`), as the
caller wrote it; the link stays visible to :mod:`klachtspoor.integrity.verify` through that view.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator, Sequence
from typing import assert_never

from klachtspoor.eventstore.errors import EventStoreError, InvalidAppend, WrongExpectedVersion
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
from klachtspoor.integrity.chain import (
    CHAIN_KEY,
    CHAIN_OVERHEAD,
    ZERO_HASH,
    ChainedMetadata,
    chained_metadata,
    check_hashable,
    new_event_hash,
    recorded_hash,
)
from klachtspoor.retry import Backoff

_HEADS = 4096
"""Streams whose last (version, hash) is remembered: a process works on a few cases at a time."""
_MOVED_ATTEMPTS = 40
"""Appends at any version tried again this often when other writers keep moving the stream meanwhile."""
_MOVED_WAIT = 0.02
"""At most this long (seconds) between those attempts; random waits keep colliding writers apart."""


class _NoStream(WrongExpectedVersion):
    """An existing stream was expected and there is none: a wrong version that is not worth retrying."""


class ChainedEventStore(EventStore):
    """Wraps ``inner``; its payload limit leaves room for the chain link in the inner store's limit."""

    def __init__(self, inner: EventStore, *, heads: int = _HEADS) -> None:
        self.inner = inner
        self.max_event_bytes = inner.max_event_bytes - CHAIN_OVERHEAD
        self._heads: OrderedDict[str, tuple[int, str]] = OrderedDict()
        self._capacity = heads

    async def append(
        self, stream: str, events: Sequence[NewEvent], expected_version: ExpectedVersion
    ) -> AppendResult:
        self.check_append(stream, events)
        for event in events:
            check_hashable(event)
        match expected_version:
            case int() if expected_version < 0:
                raise InvalidAppend(f"Expected version {expected_version} is negative; use a StreamState")
            case int():
                prev = await self._hash_at(stream, expected_version)
                return await self._append_linked(stream, events, expected_version, prev)
            case StreamState.NO_STREAM:
                return await self._append_linked(stream, events, StreamState.NO_STREAM, ZERO_HASH)
            case StreamState.ANY | StreamState.EXISTS:
                return await self._append_at_head(stream, events, expected_version)
            case _:
                assert_never(expected_version)

    async def _append_at_head(
        self, stream: str, events: Sequence[NewEvent], expected: StreamState
    ) -> AppendResult:
        moved = Backoff(initial=0.001, maximum=_MOVED_WAIT, jitter=0.005)
        try:
            async for attempt in moved.retrying(_moved, attempts=_MOVED_ATTEMPTS):
                with attempt:
                    return await self._append_to_last(stream, events, expected)
        except _NoStream:
            raise
        except WrongExpectedVersion as exc:
            raise EventStoreError(
                f"Append to {stream} ({expected}) still met a head written meanwhile after"
                f" {_MOVED_ATTEMPTS + 1} attempts: {exc}"
            ) from exc
        raise AssertionError("unreachable: stamina returns or raises")

    async def _append_to_last(
        self, stream: str, events: Sequence[NewEvent], expected: StreamState
    ) -> AppendResult:
        """Linked to the stream's last event and appended after exactly that version."""
        last = await self.inner.read_stream(stream, backwards=True, limit=1)
        if last:
            return await self._append_linked(stream, events, last[0].version, recorded_hash(last[0]))
        if expected is StreamState.EXISTS:
            # Raised outside the retry: an absent stream is not one that moved.
            raise _NoStream(stream, expected, None)
        return await self._append_linked(stream, events, StreamState.NO_STREAM, ZERO_HASH)

    async def _append_linked(
        self, stream: str, events: Sequence[NewEvent], expected: int | StreamState, prev: str
    ) -> AppendResult:
        linked = []
        for event in events:
            metadata = chained_metadata(event.metadata, prev)
            prev = new_event_hash(stream, event, metadata)
            metadata[CHAIN_KEY]["hash"] = prev
            linked.append(
                NewEvent(event.event_id, event.type, event.tenant, event.data, metadata, event.schema_version)
            )
        # Not remembered: a retry of an earlier append may have carried other metadata (a new trace), and
        # the adapter answers it with the first append's result, whose stored hash is not ``prev``.
        return await self.inner.append(stream, linked, expected)

    async def _hash_at(self, stream: str, version: int) -> str:
        """The hash of the stream's event at ``version``; WrongExpectedVersion when there is none."""
        known = self._heads.get(stream)
        if known is not None and known[0] == version:
            self._heads.move_to_end(stream)
            return known[1]
        found = await self.inner.read_stream(stream, from_version=version, limit=1)
        if not found or found[0].version != version:
            head = await self.inner.read_stream(stream, backwards=True, limit=1)
            raise WrongExpectedVersion(stream, version, head[0].version if head else None)
        return recorded_hash(found[0])

    def _remember(self, stream: str, version: int, hash_: str) -> None:
        self._heads[stream] = (version, hash_)
        self._heads.move_to_end(stream)
        while len(self._heads) > self._capacity:
            self._heads.popitem(last=False)

    async def read_stream(
        self,
        stream: str,
        *,
        from_version: int | None = None,
        backwards: bool = False,
        limit: int | None = None,
    ) -> list[RecordedEvent]:
        events = await self.inner.read_stream(
            stream, from_version=from_version, backwards=backwards, limit=limit
        )
        if events:
            last = events[0] if backwards else events[-1]
            known = self._heads.get(stream)
            if known is None or known[0] < last.version:
                self._remember(stream, last.version, recorded_hash(last))
        return [_viewed(event) for event in events]

    async def read_all(
        self, *, after: Position = START, filter: LogFilter | None = None, limit: int = 1000
    ) -> list[RecordedEvent]:
        return [
            _viewed(event) for event in await self.inner.read_all(after=after, filter=filter, limit=limit)
        ]

    async def subscribe(
        self, *, after: Position = START, filter: LogFilter | None = None, batch_size: int = 500
    ) -> AsyncIterator[RecordedEvent]:
        async for event in self.inner.subscribe(after=after, filter=filter, batch_size=batch_size):
            yield _viewed(event)

    async def close(self) -> None:
        await self.inner.close()


def _moved(error: Exception) -> bool:
    """Another writer moved the stream meanwhile: worth linking to the new head and trying again."""
    return isinstance(error, WrongExpectedVersion) and not isinstance(error, _NoStream)


def _viewed(event: RecordedEvent) -> RecordedEvent:
    # Built field by field: NamedTuple._replace goes through _make and a map, once per event read.
    stream, version, position, event_id, type_, tenant, data, metadata, schema_version, recorded_at = event
    return RecordedEvent(
        stream,
        version,
        position,
        event_id,
        type_,
        tenant,
        data,
        ChainedMetadata(metadata),
        schema_version,
        recorded_at,
    )
