"""EventStoreDB adapter of the event store port, on esdbclient's asyncio client.

EventStoreDB checks expected versions and acknowledges a same-ids retry itself, but it does not keep
event ids unique across streams, which the port promises. Before appending, the adapter therefore
claims every event id for its stream, in a stream of its own (``eventid-<id>``, created with
``NO_STREAM``); a claim held by another stream is a :class:`DuplicateEventId`. Claims left by an append
that then failed only tie the id to that stream, where a later append with it is still accepted.
Claim streams, system streams and events and other namespaces' streams are hidden from every read of
the global log (see :mod:`.names`).
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any

import esdbclient
from esdbclient.exceptions import (
    NotFound,
    WrongCurrentVersion,
)
from opentelemetry import trace

from klachtspoor.eventstore.errors import DuplicateEventId, StoreUnavailable
from klachtspoor.eventstore.esdb.claims import claim_ids
from klachtspoor.eventstore.esdb.codec import (
    copied,
    from_recorded,
    to_new_event,
    wire_version,
    wrong_version,
)
from klachtspoor.eventstore.esdb.names import StreamNames
from klachtspoor.eventstore.esdb.retry import guarded, raise_end_of_subscription
from klachtspoor.eventstore.esdb.spans import client_span
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


class EsdbEventStore(EventStore):
    """Create with :meth:`connect` (``esdb://`` or ``esdb+discover://``); one per process."""

    def __init__(
        self,
        client: esdbclient.AsyncEventStoreDBClient,
        *,
        max_event_bytes: int,
        namespace: str = "",
        tracer: trace.Tracer | None = None,
    ) -> None:
        self._client = client
        self._names = StreamNames(namespace)
        self._tracer = tracer or trace.get_tracer("klachtspoor.eventstore.esdb")
        self.max_event_bytes = max_event_bytes
        self._closed = False

    @classmethod
    async def connect(
        cls,
        url: str,
        *,
        max_event_bytes: int = 256 * 1024,
        namespace: str = "",
        tracer: trace.Tracer | None = None,
    ) -> EsdbEventStore:
        """esdbclient's own OpenTelemetry extra cannot be used with the current SDK: the spans are ours.
        ``namespace`` puts every stream under ``<namespace>/`` (one cluster, several deployments)."""
        names = StreamNames(namespace)  # a bad namespace fails before connecting
        client = esdbclient.AsyncEventStoreDBClient(uri=url)
        await guarded(client.connect, f"connecting to {url}")
        return cls(client, max_event_bytes=max_event_bytes, namespace=names.namespace, tracer=tracer)

    async def append(
        self, stream: str, events: Sequence[NewEvent], expected_version: ExpectedVersion
    ) -> AppendResult:
        with client_span(self._tracer, "append", stream, events=len(events)):
            return await self._append(stream, events, expected_version)

    async def append_copied(
        self, stream: str, events: Sequence[RecordedEvent], expected_version: ExpectedVersion
    ) -> AppendResult:
        """Append events read from another store as stored there: metadata with the chain link, and
        the ``recorded_at`` reads of this store then show (``klachtspoor eventstore copy``)."""
        new, moments = copied(events)
        with client_span(self._tracer, "append", stream, events=len(events)):
            return await self._append(stream, new, expected_version, moments)

    async def _append(
        self,
        stream: str,
        events: Sequence[NewEvent],
        expected_version: ExpectedVersion,
        recorded_at: Sequence[datetime] | None = None,
    ) -> AppendResult:
        self._check_open()
        encoded = self.check_append(stream, events)
        wire = wire_version(stream, expected_version)
        if await claim_ids(self._client, self._names, stream, events):
            retried = await self._retried(stream, events)
            if retried is not None:
                return retried
        moments = recorded_at if recorded_at is not None else [None] * len(events)
        records = [
            to_new_event(e, data, meta, moment)
            for e, (data, meta), moment in zip(events, encoded, moments, strict=True)
        ]
        try:
            commit = await guarded(
                lambda: self._client.append_to_stream(
                    self._names.wire(stream), current_version=wire, events=records
                ),
                f"appending to {stream}",
            )
        except WrongCurrentVersion as exc:
            raise wrong_version(stream, expected_version, exc) from exc
        if commit == 0:  # an older server acknowledged a retry without saying where the events are
            retried = await self._retried(stream, events)
            if retried is None:
                raise StoreUnavailable(
                    f"EventStoreDB acknowledged an append to {stream} that cannot be found"
                )
            return retried
        # A retry is answered with the first append's commit position, of its last event. Only after an
        # exact version is the stream version known without reading it there: NO_STREAM also recreates
        # a soft-deleted stream, whose versions go on after the last one it had.
        match expected_version:
            case int():
                version = expected_version + len(events)
            case StreamState.NO_STREAM | StreamState.ANY | StreamState.EXISTS:
                version = await self._version_at(commit, stream)
        return AppendResult(version=version, position=Position(commit, commit))

    async def _retried(self, stream: str, events: Sequence[NewEvent]) -> AppendResult | None:
        """The first result when ``events`` are already the stream's events, in order; None when absent."""
        recorded = await self.read_stream(stream)
        where = {e.event_id: n for n, e in enumerate(recorded)}
        first = where.get(events[0].event_id)
        if first is None:
            present = next((e.event_id for e in events if e.event_id in where), None)
            if present is None:
                return None
            raise DuplicateEventId(present, stream, stream)
        # By index, not version: a recreated soft-deleted stream reads from a version above 0.
        tail = recorded[first : first + len(events)]
        if [e.event_id for e in tail] != [e.event_id for e in events]:
            raise DuplicateEventId(events[0].event_id, stream, stream)
        return AppendResult(version=tail[-1].version, position=tail[-1].position)

    async def _version_at(self, commit: int, stream: str) -> int:
        """The stream version of the record at ``commit``: a global read there includes it."""
        found = await self._read_page(commit, 1, {"filter_exclude": ()})
        if not found or found[0].commit_position != commit:
            raise StoreUnavailable(
                f"The event appended to {stream} at commit position {commit} cannot be read"
            )
        return int(found[0].stream_position)

    async def read_stream(
        self,
        stream: str,
        *,
        from_version: int | None = None,
        backwards: bool = False,
        limit: int | None = None,
    ) -> list[RecordedEvent]:
        with client_span(self._tracer, "read_stream", stream):
            return await self._read_stream(stream, from_version, backwards, limit)

    async def _read_stream(
        self, stream: str, from_version: int | None, backwards: bool, limit: int | None
    ) -> list[RecordedEvent]:
        self._check_open()
        try:
            found = await guarded(
                lambda: self._client.get_stream(
                    self._names.wire(stream),
                    stream_position=from_version,
                    backwards=backwards,
                    limit=limit or sys.maxsize,
                ),
                f"reading stream {stream}",
            )
        except NotFound:
            return []
        return [from_recorded(r, stream) for r in found]

    async def read_all(
        self, *, after: Position = START, filter: LogFilter | None = None, limit: int = 1000
    ) -> list[RecordedEvent]:
        with client_span(self._tracer, "read_all", None, limit=limit):
            return await self._read_all(after, filter, limit)

    async def _read_all(self, after: Position, filter: LogFilter | None, limit: int) -> list[RecordedEvent]:
        self._check_open()
        position = None if after == START else after.commit
        options = self._names.server_filter(filter)
        found: list[RecordedEvent] = []
        while len(found) < limit:
            want = limit - len(found) + (0 if position is None else 1)
            page = await self._read_page(position, want, options)
            for record in page:
                if (
                    position is not None
                    and record.commit_position is not None
                    and record.commit_position <= position
                ):
                    continue
                event = self._ours(record)
                if event is not None and (filter is None or filter.matches(event)) and len(found) < limit:
                    found.append(event)
            if len(page) < want:
                break
            position = page[-1].commit_position
        return found

    async def _read_page(
        self, position: int | None, limit: int, options: dict[str, Any]
    ) -> list[esdbclient.RecordedEvent]:
        async def page() -> list[esdbclient.RecordedEvent]:
            return [
                r async for r in await self._client.read_all(commit_position=position, limit=limit, **options)
            ]

        return await guarded(page, f"reading the global log after {position}")

    async def subscribe(
        self, *, after: Position = START, filter: LogFilter | None = None, batch_size: int = 500
    ) -> AsyncIterator[RecordedEvent]:
        self._check_open()
        options = self._names.server_filter(filter)
        with client_span(self._tracer, "subscribe", None):
            subscription = await guarded(
                lambda: self._client.subscribe_to_all(
                    commit_position=None if after == START else after.commit, **options
                ),
                f"subscribing to the global log after {after}",
            )
        try:
            while True:
                try:
                    record = await guarded(
                        subscription.__anext__, f"following the global log after {after}", attempts=1
                    )
                except StopAsyncIteration:
                    raise_end_of_subscription(after)
                event = self._ours(record)
                if event is not None and (filter is None or filter.matches(event)):
                    yield event
        finally:
            await subscription.stop()

    def _ours(self, record: esdbclient.RecordedEvent) -> RecordedEvent | None:
        """The port's event for ``record``; None for a record the caller must not see: one of another
        stream (see :meth:`StreamNames.local`), or a system event, ``$``-typed, which EventStoreDB
        also puts in the caller's streams (the ``$streamDeleted`` of a tombstone)."""
        stream = self._names.local(record.stream_name)
        return None if stream is None or record.is_system_event else from_recorded(record, stream)

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            await self._client.close()

    def _check_open(self) -> None:
        if self._closed:
            raise StoreUnavailable("The EventStoreDB event store is closed")
