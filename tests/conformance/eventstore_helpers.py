"""Small builders shared by the conformance tests."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

from klachtspoor.eventstore.port import (
    START,
    EventStore,
    LogFilter,
    NewEvent,
    Position,
    RecordedEvent,
    StreamState,
)


def new_event(type: str = "SignaalOntvangen", tenant: str = "t1", **data: Any) -> NewEvent:
    return NewEvent(event_id=uuid4(), type=type, tenant=tenant, data=data or {"n": 1})


def new_events(count: int, type: str = "SignaalOntvangen", tenant: str = "t1") -> list[NewEvent]:
    return [new_event(type, tenant, n=i) for i in range(count)]


SENTINEL_PREFIX = "settle:"


async def settle(store: EventStore) -> None:
    """Wait until every event committed so far is readable from the global log.

    A store may hold the log back behind transactions still running (PostgreSQL: anywhere in the
    cluster), so a read right after an append can lag. Appending a sentinel and waiting until it is
    readable proves that everything committed before it is readable too.
    """
    sentinel = NewEvent(event_id=uuid4(), type="Sentinel", tenant="t0", data={})
    await store.append(f"{SENTINEL_PREFIX}t0:{sentinel.event_id.hex}", [sentinel], StreamState.NO_STREAM)
    only_sentinels = LogFilter(stream_prefixes=(SENTINEL_PREFIX,))
    async with asyncio.timeout(30):
        while True:
            seen = await store.read_all(filter=only_sentinels, limit=1000)
            if any(e.event_id == sentinel.event_id for e in seen):
                return
            await asyncio.sleep(0.01)


async def read_everything(
    store: EventStore, *, filter: LogFilter | None = None, page: int = 1000, after: Position = START
) -> list[RecordedEvent]:
    """The whole log after ``after`` once settled, in log order, without the sentinels."""
    await settle(store)
    found: list[RecordedEvent] = []
    while batch := await store.read_all(after=after, filter=filter, limit=page):
        found.extend(e for e in batch if not e.stream.startswith(SENTINEL_PREFIX))
        after = batch[-1].position
    return found


class Collector:
    """Runs a subscription in a task and keeps what it yields."""

    def __init__(
        self,
        store: EventStore,
        *,
        filter: LogFilter | None = None,
        batch_size: int = 500,
        after: Position = START,
    ) -> None:
        self.events: list[RecordedEvent] = []
        self._changed = asyncio.Event()
        self._subscription: AsyncIterator[RecordedEvent] = store.subscribe(
            after=after, filter=filter, batch_size=batch_size
        )
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        async for event in self._subscription:
            self.events.append(event)
            self._changed.set()

    async def wait_for(self, count: int, seconds: float = 20.0) -> list[RecordedEvent]:
        """Until ``count`` events arrived (a hang guard, not a timing assertion)."""
        async with asyncio.timeout(seconds):
            while len(self.events) < count:
                if self._task.done():
                    self._task.result()
                    raise AssertionError(f"subscription ended after {len(self.events)} events")
                self._changed.clear()
                waiter = asyncio.ensure_future(self._changed.wait())
                await asyncio.wait({waiter, self._task}, return_when=asyncio.FIRST_COMPLETED)
                waiter.cancel()
        return list(self.events)

    async def stop(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
