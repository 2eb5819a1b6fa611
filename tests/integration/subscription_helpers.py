"""Helpers shared by the subscription and relay tests: appending events, a counting read model."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from uuid import UUID, uuid4

import asyncpg

from klachtspoor.eventstore.port import START, EventStore, NewEvent, RecordedEvent, StreamState
from klachtspoor.subscriptions import SubscriptionRunner


async def append_events(
    store: EventStore, count: int, *, tenant: str = "t1", streams: int = 3, type: str = "SignaalOntvangen"
) -> list[RecordedEvent]:
    """Append ``count`` events spread over ``streams`` streams; return them as recorded, in log order."""
    ids: list[UUID] = []
    prefix = uuid4().hex[:8]
    for i in range(count):
        event = NewEvent(event_id=uuid4(), type=type, tenant=tenant, data={"n": i})
        await store.append(f"case:{tenant}:{prefix}{i % streams}", [event], StreamState.ANY)
        ids.append(event.event_id)
    wanted = set(ids)
    recorded: list[RecordedEvent] = []
    after = START
    while len(recorded) < count:
        page = await store.read_all(after=after, limit=1000)
        if not page:
            break
        recorded.extend(e for e in page if e.event_id in wanted)
        after = page[-1].position
    assert [e.event_id for e in recorded] == ids
    return recorded


async def create_counts_table(conn: asyncpg.Connection) -> None:
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS counts (event_id uuid PRIMARY KEY, n integer NOT NULL, stream text)"
    )


async def count_event(conn: asyncpg.Connection, event: RecordedEvent) -> None:
    """Projection write that shows double application: a second run makes n = 2."""
    await conn.execute(
        "INSERT INTO counts (event_id, n, stream) VALUES ($1, 1, $2) "
        "ON CONFLICT (event_id) DO UPDATE SET n = counts.n + 1",
        event.event_id,
        event.stream,
    )


async def counts(conn: asyncpg.Connection) -> dict[UUID, int]:
    return {row["event_id"]: row["n"] for row in await conn.fetch("SELECT event_id, n FROM counts")}


@contextlib.asynccontextmanager
async def running(runner: SubscriptionRunner) -> AsyncIterator[asyncio.Task[None]]:
    """Run the subscriber in a task; stop it gracefully afterwards and surface any error it raised."""
    task = asyncio.create_task(runner.run())
    try:
        yield task
    finally:
        runner.stop()
        await asyncio.wait_for(task, timeout=30)
