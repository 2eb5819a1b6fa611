"""Helpers shared by the subscription and relay tests: appending events, a counting read model."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from uuid import UUID, uuid4

import asyncpg
import pytest

from klachtspoor.eventstore.port import EventStore, NewEvent, RecordedEvent, StreamState
from klachtspoor.subscriptions import SubscriptionRunner, apply_schema


async def append_events(
    store: EventStore, count: int, *, tenant: str = "t1", streams: int = 3, type: str = "SignaalOntvangen"
) -> list[RecordedEvent]:
    """Append ``count`` events spread over ``streams`` streams; return them as recorded, in log order.

    Read back by stream, not from the global log: the log shows a commit only once every older
    transaction in the cluster has ended, and other tests may hold one open.
    """
    prefix = uuid4().hex[:8]
    recorded: list[RecordedEvent] = []
    for i in range(count):
        stream = f"case:{tenant}:{prefix}{i % streams}"
        event = NewEvent(event_id=uuid4(), type=type, tenant=tenant, data={"n": i})
        result = await store.append(stream, [event], StreamState.ANY)
        [stored] = await store.read_stream(stream, from_version=result.version, limit=1)
        assert stored.event_id == event.event_id
        recorded.append(stored)
    return sorted(recorded, key=lambda e: e.position)


async def create_counts_table(conn: asyncpg.Connection) -> None:
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS counts (event_id uuid PRIMARY KEY, n integer NOT NULL, stream text)"
    )


@pytest.fixture
async def conn(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection to the test's database with the counting table and the subscriptions schema."""
    connection = await asyncpg.connect(database_url)
    await create_counts_table(connection)
    await apply_schema(connection)
    yield connection
    await connection.close()


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
