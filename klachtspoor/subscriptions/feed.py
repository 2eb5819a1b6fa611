"""Turns the store's one-event-at-a-time subscription into batches of what has already arrived.

A background task reads ``store.subscribe`` into a bounded queue. The runner takes the first event (waiting
for it) and then whatever else is already queued, up to its batch size: under load batches fill up and
amortise the commit; when idle, each event is handled as soon as it arrives.

``linger`` lets a batch wait a moment after its first event for the ones that follow. A submission makes
several events within milliseconds, and under a steady load events keep arriving one at a time, so
without it a projection commits (and moves its checkpoint) once per event although it could have waited a
few milliseconds and committed once for all of them. Projections nobody waits on for a mail (the case
list, the statistics, the due-date index) linger; the default is not to.
"""

from __future__ import annotations

import asyncio
import contextlib
from types import TracebackType

from klachtspoor.eventstore.port import EventStore, LogFilter, Position, RecordedEvent


class Feed:
    def __init__(
        self,
        store: EventStore,
        *,
        after: Position,
        filter: LogFilter | None,
        read_batch: int = 500,
        buffer: int = 2000,
    ) -> None:
        self._store = store
        self._after = after
        self._filter = filter
        self._read_batch = read_batch
        self._queue: asyncio.Queue[RecordedEvent] = asyncio.Queue(maxsize=buffer)
        self._task: asyncio.Task[None] | None = None
        self._failure: BaseException | None = None
        self._done = asyncio.Event()

    async def __aenter__(self) -> Feed:
        self._task = asyncio.create_task(self._pump(), name="subscription-feed")
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def next_batch(
        self,
        max_size: int,
        max_wait: float | None = None,
        interrupt: asyncio.Event | None = None,
        linger: float = 0.0,
    ) -> list[RecordedEvent]:
        """Up to ``max_size`` events; empty after ``max_wait`` s without one or once ``interrupt`` is set.

        Once the first event is in hand, more are awaited for at most ``linger`` s (not past ``max_size``).
        Raises the subscription's error once the events read before it have been handed out.
        """
        if self._queue.empty():
            self._raise_if_failed()
            getter = asyncio.ensure_future(self._queue.get())
            waiters = {asyncio.ensure_future(self._done.wait())}
            if interrupt is not None:
                waiters.add(asyncio.ensure_future(interrupt.wait()))
            try:
                await asyncio.wait({getter, *waiters}, timeout=max_wait, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for waiter in waiters:
                    waiter.cancel()
                if not getter.done():
                    getter.cancel()
            if not getter.done() or getter.cancelled():
                self._raise_if_failed()
                return []
            batch = [getter.result()]
        else:
            batch = [self._queue.get_nowait()]
        while len(batch) < max_size and not self._queue.empty():
            batch.append(self._queue.get_nowait())
        if linger > 0 and len(batch) < max_size:
            await self._linger(batch, max_size, linger)
        return batch

    async def _linger(self, batch: list[RecordedEvent], max_size: int, linger: float) -> None:
        """Add what arrives within ``linger`` s; a subscription error is left for the next call."""
        deadline = asyncio.get_running_loop().time() + linger
        while len(batch) < max_size and self._failure is None:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                return
            try:
                batch.append(await asyncio.wait_for(self._queue.get(), timeout=left))
            except TimeoutError:
                return
            while len(batch) < max_size and not self._queue.empty():
                batch.append(self._queue.get_nowait())

    def _raise_if_failed(self) -> None:
        if self._failure is not None and self._queue.empty():
            raise self._failure

    async def _pump(self) -> None:
        iterator = self._store.subscribe(after=self._after, filter=self._filter, batch_size=self._read_batch)
        try:
            async for event in iterator:
                await self._queue.put(event)
        except Exception as error:
            # Handed to the runner, which raises it after the events already queued: never swallowed.
            self._failure = error
        else:
            self._failure = RuntimeError("The event store subscription ended, which it never should")
        finally:
            self._done.set()
            aclose = getattr(iterator, "aclose", None)
            if aclose is not None:
                await aclose()
