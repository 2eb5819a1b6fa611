"""Runs one named subscriber over the global log, from its checkpoint, until stopped.

Stopping: :meth:`SubscriptionRunner.stop` lets the current batch finish and commit (a projection's batch
that is still retrying an outage a second later is cancelled instead, so a stop during an outage is
prompt); cancelling the task instead rolls back the open transaction. Either way nothing is half-written,
and the next run resumes at the last committed checkpoint.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, assert_never

import asyncpg

from klachtspoor import pgconnect
from klachtspoor.eventstore.port import START, EventStore, Position
from klachtspoor.subscriptions import tables
from klachtspoor.subscriptions.feed import Feed
from klachtspoor.subscriptions.handling import ProjectionHandling, ReactorHandling
from klachtspoor.subscriptions.model import Projection, Reactor, RetryPolicy, Subscriber
from klachtspoor.subscriptions.parked import retry_requested
from klachtspoor.subscriptions.schema import apply_schema

log = logging.getLogger(__name__)

STOP_GRACE = 1.0
"""Seconds a projection's batch may go on after a stop before it is cancelled (and rolled back)."""


class SubscriptionRunner:
    """``await runner.run()`` handles events until :meth:`stop` or cancellation.

    ``database_url`` is the read-model database: it holds the ``subscriptions`` schema and, for a
    projection, the tables the handler writes. The runner uses one connection of its own. ``linger``: how
    long a projection's batch waits after its first event for more (:mod:`klachtspoor.subscriptions.feed`);
    a reactor handles each event as it comes.
    """

    def __init__(
        self,
        store: EventStore,
        database_url: str,
        subscriber: Subscriber,
        *,
        retry: RetryPolicy | None = None,
        retry_poll_interval: float = 1.0,
        read_batch: int = 500,
        linger: float = 0.0,
    ) -> None:
        self._store = store
        self._url = database_url
        self._subscriber = subscriber
        self._retry = retry or RetryPolicy()
        self._poll = retry_poll_interval
        self._read_batch = read_batch
        self._linger = linger if isinstance(subscriber, Projection) else 0.0
        self._stop = asyncio.Event()
        self._progress = asyncio.Condition()
        self._checkpoint = START
        self._started = False
        self._finished = False

    @property
    def name(self) -> str:
        return self._subscriber.name

    @property
    def checkpoint(self) -> Position:
        """The last committed checkpoint of this run (START before the run has loaded it)."""
        return self._checkpoint

    def stop(self) -> None:
        """Finish the batch in hand, commit it, and return from :meth:`run`."""
        self._stop.set()

    async def wait_until(self, position: Position) -> None:
        """Return once the committed checkpoint is at or past ``position`` (an event this subscriber sees)."""
        async with self._progress:
            await self._progress.wait_for(
                lambda: self._finished or (self._started and self._checkpoint >= position)
            )
        if self._checkpoint < position:
            raise RuntimeError(
                f"Subscriber {self.name} stopped at checkpoint {self._checkpoint} before reaching {position}"
            )

    async def run(self) -> None:
        conn = await pgconnect.connect(self._url)
        try:
            await apply_schema(conn)
            self._checkpoint = await tables.load_checkpoint(conn, self.name)
            log.info(
                "Subscriber starting after checkpoint %s",
                self._checkpoint,
                extra={"ks_subscriber": self.name, "ks_position": str(self._checkpoint)},
            )
            await self._notify()
            await self._loop(conn)
        except Exception:
            log.exception(
                "Subscriber failed at checkpoint %s; it resumes there when restarted",
                self._checkpoint,
                extra={"ks_subscriber": self.name, "ks_position": str(self._checkpoint)},
            )
            raise
        finally:
            self._finished = True
            await conn.close()
            await self._notify()
            log.info(
                "Subscriber stopped", extra={"ks_subscriber": self.name, "ks_position": str(self._checkpoint)}
            )

    async def _loop(self, conn: asyncpg.Connection) -> None:
        handling = self._handling()
        loop = asyncio.get_running_loop()
        next_poll = 0.0
        async with Feed(
            self._store, after=self._checkpoint, filter=self._subscriber.filter, read_batch=self._read_batch
        ) as feed:
            while not self._stop.is_set():
                if loop.time() >= next_poll:
                    await retry_requested(conn, self._store, self._subscriber)
                    next_poll = loop.time() + self._poll
                batch = await feed.next_batch(
                    self._batch_size(), max_wait=self._poll, interrupt=self._stop, linger=self._linger
                )
                if batch:
                    if not await self._handled(handling.handle(conn, batch)):
                        return
                    await self._notify()

    async def _handled(self, handling: Coroutine[Any, Any, None]) -> bool:
        """Handle a batch; False when a stop came and a projection's batch did not finish within
        :data:`STOP_GRACE` (an outage retried for as long as it lasts): it is cancelled, its transaction
        rolls back and the next run resumes at the committed checkpoint. A reactor's batch always runs to
        its end, since its effects are outside the transaction."""
        if not isinstance(self._subscriber, Projection):
            await handling
            return True
        task = asyncio.ensure_future(handling)
        stopping = asyncio.ensure_future(self._stop.wait())
        try:
            await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if not task.done():
                await asyncio.wait({task}, timeout=STOP_GRACE)
            if task.done():
                task.result()
                return True
            task.cancel()
            await asyncio.wait({task})  # waits without taking the cancellation as this task's own
            error = None if task.cancelled() else task.exception()
            if error is not None:
                raise error
            log.info(
                "Subscriber stopped in the middle of a batch; it resumes at checkpoint %s",
                self._checkpoint,
                extra={"ks_subscriber": self.name, "ks_position": str(self._checkpoint)},
            )
            return False
        finally:
            stopping.cancel()
            if not task.done():  # this runner was cancelled: the batch's transaction rolls back first
                task.cancel()
                await asyncio.wait({task})

    def _handling(self) -> ProjectionHandling | ReactorHandling:
        subscriber = self._subscriber
        match subscriber:
            case Projection():
                return ProjectionHandling(subscriber, self._retry, self._advance)
            case Reactor():
                return ReactorHandling(subscriber, self._retry, self._advance)
            case _:
                assert_never(subscriber)

    def _batch_size(self) -> int:
        subscriber = self._subscriber
        match subscriber:
            case Projection():
                return subscriber.batch_size
            case Reactor():
                return self._read_batch
            case _:
                assert_never(subscriber)

    def _advance(self, position: Position) -> None:
        self._checkpoint = position

    async def _notify(self) -> None:
        async with self._progress:
            self._started = True
            self._progress.notify_all()
