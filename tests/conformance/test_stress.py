"""Many writers with slow, sometimes rolled-back transactions, and a live subscriber.

The subscriber must see every committed event exactly once, in the order of a full read afterwards,
each stream in version order, and nothing of what was rolled back. Writers sleep inside their
transactions so commits land out of order; on PostgreSQL half of them take their transaction id before
sleeping, so older transactions append after younger ones to the same streams. Writers append at any
version, or at the exact version they read after their pause (a decider's read-decide-append, retried on
a wrong version): the store's paths for both are covered.
"""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict
from collections.abc import Awaitable, Callable
from uuid import UUID

import pytest
from backends import ADAPTERS, Backend, backend_of
from eventstore_harness import Adapter
from eventstore_helpers import Collector, new_event, new_events, read_everything

from klachtspoor.eventstore.errors import WrongExpectedVersion
from klachtspoor.eventstore.port import EventStore, ExpectedVersion, LogFilter, StreamState

WRITERS = 16
APPENDS_PER_WRITER = 120
APPENDS_PER_WRITER_ESDB = 50
"""The EventStoreDB stand-in (a server in Python) takes each append over gRPC at a few hundred a second:
the same sixteen writers racing on the same streams, with fewer appends each."""
STREAMS = [f"case:t1:s{i}" for i in range(24)]
CASES = LogFilter(stream_prefixes=("case:",))


def head_of(store: EventStore, stream: str) -> Callable[[], Awaitable[ExpectedVersion]]:
    async def current() -> ExpectedVersion:
        head = await store.read_stream(stream, backwards=True, limit=1)
        return head[0].version if head else StreamState.NO_STREAM

    return current


STRESSED = [name for name in ADAPTERS if name != "chained-esdb"]
"""Every adapter but the chain over the EventStoreDB stand-in: the chain's concurrency is the same code over
any inner store (proven here on memory and PostgreSQL, and by the integrity tests' concurrent writers),
the stand-in's own concurrency is proven by ``esdb``, and the two together cost over two minutes."""


@pytest.fixture(params=STRESSED)
def backend(request: pytest.FixtureRequest) -> Backend:
    return backend_of(request)


@pytest.mark.slow
@pytest.mark.parametrize("versions", ["any", "exact"])
async def test_slow_writers_and_a_live_subscriber(adapter: Adapter, backend: Backend, versions: str) -> None:
    store = adapter.store
    appends = APPENDS_PER_WRITER_ESDB if backend.name == "esdb" else APPENDS_PER_WRITER
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    committed: list[UUID] = []
    rolled_back: set[UUID] = set()
    collector = Collector(store, filter=CASES, batch_size=100)
    writers = [await adapter.open_writer() for _ in range(WRITERS)]

    async def write(index: int) -> None:
        writer = writers[index]
        for _ in range(appends):
            events, stream = new_events(rng.randint(1, 3)), rng.choice(STREAMS)
            while True:
                try:
                    result = await writer.append(
                        stream,
                        events,
                        StreamState.ANY if versions == "any" else head_of(store, stream),
                        pause_before=rng.uniform(0, 0.004),
                        pause_after=rng.uniform(0, 0.004),
                        roll_back=rng.random() < 0.05,
                    )
                    break
                except WrongExpectedVersion:
                    continue  # another writer came first: read the head again
            if result is None:
                rolled_back.update(e.event_id for e in events)
            else:
                committed.extend(e.event_id for e in events)

    try:
        await asyncio.gather(*(write(i) for i in range(WRITERS)))
        final = await read_everything(store, filter=CASES)
        end = new_event("Einde")
        await store.append("case:t1:end", [end], StreamState.NO_STREAM)
        seen = await collector.wait_for(len(final) + 1, seconds=60)
    finally:
        await collector.stop()
        for writer in writers:
            await writer.close()

    context = f"seed {seed}: {len(final)} events, {len(rolled_back)} rolled back"
    assert rolled_back, context
    assert {e.event_id for e in final} == set(committed), context
    assert len(final) == len(committed), context
    assert not rolled_back & {e.event_id for e in seen}, context
    assert seen[:-1] == final, context
    assert [e.event_id for e in seen[-1:]] == [end.event_id], context
    versions: dict[str, list[int]] = defaultdict(list)
    for event in seen:
        versions[event.stream].append(event.version)
    assert all(v == list(range(len(v))) for v in versions.values()), context
    positions = [e.position for e in seen]
    assert positions == sorted(positions) and len(set(positions)) == len(positions), context
