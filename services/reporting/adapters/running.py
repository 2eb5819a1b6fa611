"""Keeps the projection running for the life of the process: a runner that fails (the database went
away, say) is logged by itself and replaced after a growing pause, resuming at its checkpoint."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from klachtspoor.eventstore.port import Position
from klachtspoor.retry import Backoff
from klachtspoor.subscriptions import SubscriptionRunner

log = logging.getLogger(__name__)


class SupervisedProjection:
    def __init__(
        self,
        make_runner: Callable[[], SubscriptionRunner],
        *,
        restart_delay: float = 1.0,
        max_restart_delay: float = 30.0,
    ) -> None:
        self._make_runner = make_runner
        self._delay, self._max_delay = restart_delay, max_restart_delay
        self._stop = asyncio.Event()
        self._replaced = asyncio.Event()
        self._healthy = False
        self.runner = make_runner()

    @property
    def healthy(self) -> bool:
        """True while a runner is running; False between a failure and the restart, and after stop."""
        return self._healthy

    def stop(self) -> None:
        self._stop.set()
        self.runner.stop()
        self._replaced.set()

    async def wait_until(self, position: Position) -> None:
        """Return once the projection's checkpoint is at or past ``position``."""
        while True:
            runner = self.runner
            try:
                await runner.wait_until(position)
                return
            except RuntimeError:
                if self._stop.is_set():
                    raise
                if self.runner is runner:  # the failed runner is replaced after its pause
                    await self._replaced.wait()

    async def run(self) -> None:
        restarts = Backoff(self._delay, self._max_delay)
        failures = 0
        while not self._stop.is_set():
            self._healthy = True
            try:
                await self.runner.run()
            except Exception as error:  # logged with its traceback by the runner itself
                self._healthy = False
                failures += 1
                delay = restarts.delay(failures)
                log.warning(
                    "Projection runner failed (%s); restarting in %.1f s", type(error).__name__, delay
                )
                with contextlib.suppress(TimeoutError):  # the pause ends early when stopped
                    await asyncio.wait_for(self._stop.wait(), timeout=delay)
                self.runner = self._make_runner()
                replaced, self._replaced = self._replaced, asyncio.Event()
                replaced.set()
            else:
                break
        self._healthy = False
