"""The timer in the escalation process: the due-date index projection and the timer loop, side by side.

:meth:`TimerService.start` applies the ``escalation`` schema and starts both as tasks;
:meth:`TimerService.stop` stops them. A projection runner that fails (the database went away) is logged by
itself and replaced after a growing pause, resuming at its committed checkpoint; a failed tick is tried
again at the next one. Nothing is kept in memory that a restart would need.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from klachtspoor import pgconnect
from klachtspoor.cases import CaseRepository
from klachtspoor.eventstore.port import EventStore, Position
from klachtspoor.policies import PolicyRegistry
from klachtspoor.retry import Backoff
from klachtspoor.subscriptions import RetryPolicy, SubscriptionRunner
from services.escalation.adapters.schema import apply_schema
from services.escalation.adapters.timer import Clock, DeadlineTimer
from services.escalation.adapters.timer_index import timer_index_projection

log = logging.getLogger(__name__)


class TimerService:
    def __init__(
        self,
        store: EventStore,
        database_url: str,
        repository: CaseRepository,
        policies: PolicyRegistry,
        clock: Clock,
        *,
        interval: float = 30.0,
        retry: RetryPolicy | None = None,
        poll_interval: float = 1.0,
        restart_delay: float = 1.0,
        max_restart_delay: float = 30.0,
    ) -> None:
        self.store, self.database_url, self.policies = store, database_url, policies
        self.timer = DeadlineTimer(repository, database_url, policies, clock, interval=interval)
        self._retry, self._poll = retry, poll_interval
        self._delay, self._max_delay = restart_delay, max_restart_delay
        self.runner = self._runner()
        self._stopping = asyncio.Event()
        self._replaced = asyncio.Event()
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
        )

    async def start(self) -> None:
        conn = await pgconnect.connect(self.database_url)
        try:
            await apply_schema(conn)
        finally:
            await conn.close()
        self._tasks = [
            asyncio.create_task(self._supervise(), name="escalation-timer-index"),
            asyncio.create_task(self.timer.run(), name="escalation-timer"),
        ]

    async def stop(self) -> None:
        self._stopping.set()
        self.timer.stop()
        self.runner.stop()
        self._replaced.set()
        for task in self._tasks:
            try:
                await asyncio.wait_for(task, timeout=10)
            except TimeoutError:
                log.warning("Timer task %s did not stop within 10 s; cancelled", task.get_name())
            except asyncio.CancelledError:
                if not task.cancelled():
                    raise

    async def wait_indexed(self, position: Position) -> None:
        """Return once the index has handled the log up to ``position`` (tests, health checks)."""
        while True:
            runner = self.runner
            try:
                await runner.wait_until(position)
                return
            except RuntimeError:
                if self._stopping.is_set():
                    raise
                if self.runner is runner:  # the failed runner is replaced after its pause
                    await self._replaced.wait()

    async def _supervise(self) -> None:
        restarts = Backoff(self._delay, self._max_delay)
        failures = 0
        while not self._stopping.is_set():
            try:
                await self.runner.run()
            except Exception as error:  # logged with its traceback by the runner itself
                name = type(error).__name__
                failures += 1
                delay = restarts.delay(failures)
                log.warning("Timer index runner failed (%s); restarting in %.1f s", name, delay)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), timeout=delay)
                self.runner = self._runner()
                replaced, self._replaced = self._replaced, asyncio.Event()
                replaced.set()
            else:
                return
