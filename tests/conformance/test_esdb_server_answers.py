"""The EventStoreDB adapter on what a real server answers and holds that a bare log would not: a retry
answered with its first commit position (or, from older servers, none), system events in ``$all`` and
in the caller's own streams, and streams an operator soft-deleted or tombstoned."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from esdbclient import AsyncEventStoreDBClient
from esdbclient import StreamState as WireState
from eventstore_helpers import new_event, new_events, read_everything

from klachtspoor.eventstore.errors import DuplicateEventId
from klachtspoor.eventstore.esdb import EsdbEventStore
from klachtspoor.eventstore.port import (
    START,
    ExpectedVersion,
    LogFilter,
    Position,
    RecordedEvent,
    StreamState,
)
from tests.esdb_server import Fault, RunningServer


@pytest.fixture
async def operator(server: RunningServer) -> AsyncIterator[AsyncEventStoreDBClient]:
    """esdbclient on the same server, doing what an operator may do by hand."""
    client = AsyncEventStoreDBClient(server.url)
    await client.connect()
    yield client
    await client.close()


@pytest.mark.parametrize("with_position", [True, False])
@pytest.mark.parametrize("expected", [StreamState.NO_STREAM, StreamState.ANY, 1])
async def test_an_append_whose_answer_was_lost_returns_what_the_write_did(
    server: RunningServer, esdb_store: EsdbEventStore, expected: ExpectedVersion, with_position: bool
) -> None:
    """The connection drops after the write; esdbclient sends it again and the server answers it as a
    retry: with the first commit position, or (``with_position=False``, as older servers) without."""
    stream = "case:t1:a" if expected is not StreamState.NO_STREAM else "case:t1:new"
    if expected == 1:
        await esdb_store.append(stream, new_events(2), StreamState.NO_STREAM)
    server.log.retry_positions = with_position
    batch = new_events(2)
    server.faults.inject("BatchAppend", Fault(), Fault(), Fault.lost_answer())  # two claims, then the batch

    result = await esdb_store.append(stream, batch, expected)

    recorded = await esdb_store.read_stream(stream)
    assert not server.faults.queued["BatchAppend"], "the lost answer was played"
    assert [e.event_id for e in recorded[-2:]] == [e.event_id for e in batch]
    assert (result.version, result.position) == (recorded[-1].version, recorded[-1].position)
    assert len(server.log.streams[f"{stream}"]) == len(recorded)


async def test_a_batch_repeating_some_ids_of_the_stream_is_a_duplicate_not_a_write(
    esdb_store: EsdbEventStore,
) -> None:
    """A real server acknowledges a repeated id claim with its first position, like a new one; the
    adapter must still see that the id was claimed before."""
    a, b, c = new_events(3)
    await esdb_store.append("case:t1:a", [a, b], StreamState.NO_STREAM)
    with pytest.raises(DuplicateEventId):
        await esdb_store.append("case:t1:a", [b, c], 1)
    assert [e.event_id for e in await esdb_store.read_stream("case:t1:a")] == [a.event_id, b.event_id]


async def _subscribed(
    store: EsdbEventStore, count: int, filter: LogFilter | None, after: Position = START
) -> list[RecordedEvent]:
    taken: list[RecordedEvent] = []
    async with asyncio.timeout(10):  # a hang guard, not a timing assertion
        async for event in store.subscribe(filter=filter, after=after):
            taken.append(event)
            if len(taken) == count:
                return taken
    raise AssertionError("the subscription ended")


@pytest.mark.parametrize(
    "filter",
    [None, LogFilter(stream_prefixes=("case:",)), LogFilter(event_types=frozenset({"SignaalOntvangen"}))],
)
async def test_reads_and_subscriptions_of_the_log_hand_out_no_system_event(
    esdb_store: EsdbEventStore, operator: AsyncEventStoreDBClient, filter: LogFilter | None
) -> None:
    """Besides the system streams a server starts with, an operator's soft deletion writes ``$metadata``
    to ``$$case:…`` and a tombstone puts ``$streamDeleted`` in the caller's own stream."""
    gone, deleted, kept = new_event(), new_event(), new_event()
    await esdb_store.append("case:t1:gone", [gone], StreamState.NO_STREAM)
    await esdb_store.append("case:t1:deleted", [deleted], StreamState.NO_STREAM)
    await operator.tombstone_stream("case:t1:gone", current_version=0)
    await operator.delete_stream("case:t1:deleted", current_version=0)
    await esdb_store.append("case:t1:kept", [kept], StreamState.NO_STREAM)
    ours = [gone.event_id, deleted.event_id, kept.event_id]  # a soft deletion leaves events in the log

    read = await read_everything(esdb_store, filter=filter)
    followed = await _subscribed(esdb_store, 3, filter)
    head = (await esdb_store.read_all())[-1].position  # read_everything's settling sentinel
    live = asyncio.create_task(_subscribed(esdb_store, 1, filter, after=head))
    await asyncio.sleep(0.1)  # let it catch up first, so what follows arrives live (it passes either way)
    await operator.tombstone_stream("case:t1:kept", current_version=0)
    last = new_event()
    await esdb_store.append("case:t1:last", [last], StreamState.NO_STREAM)

    assert [e.event_id for e in read] == ours
    assert [e.event_id for e in followed] == ours
    assert [e.event_id for e in await live] == [last.event_id]


async def test_a_stream_an_operator_soft_deleted_reads_empty_and_is_recreated_with_its_versions_going_on(
    esdb_store: EsdbEventStore, operator: AsyncEventStoreDBClient
) -> None:
    await esdb_store.append("case:t1:a", new_events(2), StreamState.NO_STREAM)
    await operator.delete_stream("case:t1:a", current_version=WireState.ANY)
    assert await esdb_store.read_stream("case:t1:a") == []
    batch = [new_event()]

    first = await esdb_store.append("case:t1:a", batch, StreamState.NO_STREAM)
    again = await esdb_store.append("case:t1:a", batch, StreamState.NO_STREAM)
    after = await esdb_store.append("case:t1:a", [new_event()], first.version)

    recorded = await esdb_store.read_stream("case:t1:a")
    assert [e.version for e in recorded] == [2, 3]
    assert first == again and (first.version, first.position) == (2, recorded[0].position)
    assert after.version == 3
