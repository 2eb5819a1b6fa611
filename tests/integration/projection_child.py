"""A projection process for the kill tests: handles a lingering batch and stops in the middle of it.

``python projection_child.py DATABASE_URL MARKER STOP_AFTER`` runs the counting projection with a long
linger; after writing ``STOP_AFTER`` events of its first batch (inside the batch's open transaction) it
creates ``MARKER`` and waits there to be killed.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import asyncpg
from subscription_helpers import count_event

from klachtspoor.eventstore.port import RecordedEvent
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.subscriptions import Projection, SubscriptionRunner

NAME = "proj.killed"


async def main(url: str, marker: Path, stop_after: int) -> None:
    store = await PostgresEventStore.connect(url)
    handled = 0

    async def handle(conn: asyncpg.Connection, event: RecordedEvent) -> None:
        nonlocal handled
        await count_event(conn, event)
        handled += 1
        if handled == stop_after:
            await asyncio.to_thread(marker.touch)
            await asyncio.sleep(3600)  # killed here, the batch's transaction open

    runner = SubscriptionRunner(store, url, Projection(NAME, handle, batch_size=50), linger=5.0)
    await runner.run()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])))
