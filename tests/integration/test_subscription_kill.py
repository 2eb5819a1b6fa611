"""A projection process killed in the middle of a lingering batch: nothing of the batch stays, and the
next run applies every event exactly once."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import asyncpg
from projection_child import NAME
from subscription_helpers import append_events, count_event, counts, create_counts_table, running

from klachtspoor.eventstore.port import START, RecordedEvent
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.subscriptions import Projection, SubscriptionRunner, apply_schema, load_checkpoint

HERE = Path(__file__).parent


async def test_a_kill_in_the_middle_of_a_batch_leaves_nothing_and_the_rerun_applies_each_event_once(
    database_url: str, tmp_path: Path
) -> None:
    conn = await asyncpg.connect(database_url)
    store = await PostgresEventStore.connect(database_url)
    try:
        await create_counts_table(conn)
        await apply_schema(conn)
        events = await append_events(store, 12)
        marker = tmp_path / "inside-the-batch"
        path = os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            str(HERE / "projection_child.py"),
            database_url,
            str(marker),
            "7",
            env={**os.environ, "PYTHONPATH": path},
        )
        try:
            for _ in range(600):
                if marker.exists() or child.returncode is not None:
                    break
                await asyncio.sleep(0.1)
            assert marker.exists(), f"the projection process ended early ({child.returncode})"
        finally:
            if child.returncode is None:
                child.kill()  # SIGKILL: no handler runs, the open transaction dies with the connection
            await asyncio.wait_for(child.wait(), 30)
        assert await counts(conn) == {}  # seven rows were written, in a transaction that died with it
        assert await load_checkpoint(conn, NAME) == START

        async def handle(c: asyncpg.Connection, event: RecordedEvent) -> None:
            await count_event(c, event)

        runner = SubscriptionRunner(store, database_url, Projection(NAME, handle, batch_size=50), linger=0.05)
        async with running(runner):
            await asyncio.wait_for(runner.wait_until(events[-1].position), 30)
        assert await counts(conn) == {event.event_id: 1 for event in events}
        assert await load_checkpoint(conn, NAME) == events[-1].position
    finally:
        await store.close()
        await conn.close()
