"""The timer in the escalation process: the due-date index projection and the timer loop, side by side.

:meth:`TimerService.start` applies the ``escalation`` schema and starts both as tasks;
:meth:`TimerService.stop` stops them. The index runs under
:class:`klachtspoor.subscriptions.SupervisedRunner`: one that fails (the database went away) is replaced
after a growing pause, resuming at its committed checkpoint; a failed tick is tried again at the next one.
Nothing is kept in memory that a restart would need.
"""

from __future__ import annotations

import asyncio

from klachtspoor import pgconnect
from klachtspoor.cases import CaseRepository
from klachtspoor.eventstore.port import EventStore, Position
from klachtspoor.policies import PolicyRegistry
from klachtspoor.subscriptions import RetryPolicy, SubscriptionRunner, SupervisedRunner, wait_stopped
from services.escalation.adapters.schema import apply_schema
from services.escalation.adapters.timer_index import timer_index_projection
from services.escalation.application.pending_erasures import PendingErasures
from services.escalation.application.timer import Clock, DeadlineTimer

STOP_GRACE_SECONDS = 10.0
"""How long the index and the timer get to finish the batch in hand when the process stops."""


class TimerService:
    def __init__(
        self,
        store: EventStore,
        database_url: str,
        repository: CaseRepository,
        policies: PolicyRegistry,
        clock: Clock,
        pending: PendingErasures,
        *,
        interval: float = 30.0,
        retry: RetryPolicy | None = None,
        poll_interval: float = 1.0,
        restart_delay: float = 1.0,
        max_restart_delay: float = 30.0,
        linger: float = 0.0,
    ) -> None:
        self.store, self.database_url, self.policies = store, database_url, policies
        self.timer = DeadlineTimer(repository, database_url, policies, clock, pending, interval=interval)
        self._retry, self._poll, self._linger = retry, poll_interval, linger
        self.index = SupervisedRunner(
            self._runner,
            name="escalation timer index",
            restart_delay=restart_delay,
            max_restart_delay=max_restart_delay,
        )
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def running(self) -> bool:
        """True while the index or the loop still runs (between :meth:`start` and :meth:`stop`)."""
        return any(not task.done() for task in self._tasks)

    def _runner(self) -> SubscriptionRunner:
        return SubscriptionRunner(
            self.store,
            self.database_url,
            timer_index_projection(self.store, self.policies),
            retry=self._retry,
            retry_poll_interval=self._poll,
            linger=self._linger,
        )

    async def start(self) -> None:
        conn = await pgconnect.connect(self.database_url)
        try:
            await apply_schema(conn)
        finally:
            await conn.close()
        self._tasks = [
            asyncio.create_task(self.index.run(), name="escalation-timer-index"),
            asyncio.create_task(self.timer.run(), name="escalation-timer"),
        ]

    async def stop(self) -> None:
        self.timer.stop()
        self.index.stop()
        for task in self._tasks:
            await wait_stopped(task, STOP_GRACE_SECONDS)

    async def wait_indexed(self, position: Position) -> None:
        """Return once the index has handled the log up to ``position`` (tests, health checks)."""
        await self.index.wait_until(position)
