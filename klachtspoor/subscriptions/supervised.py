"""Keeps one subscription running for the life of the process: a runner that fails (the database went
away, say) is replaced after a growing pause and the new one resumes at the committed checkpoint.

Every process that follows the log with a runner of its own (reporting's projection, escalation's
due-date index) supervises it with this one loop. A failure is logged here with its cause (the runner
has logged its traceback itself) and never swallowed silently; a cancellation is never caught, so a
cancelled supervisor ends at once. Nothing is kept in memory that a restart would need.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from klachtspoor.eventstore.port import Position
from klachtspoor.retry import Backoff
from klachtspoor.subscriptions.runner import SubscriptionRunner

log = logging.getLogger(__name__)


class SupervisedRunner:
    """``await supervised.run()`` until :meth:`stop`; ``make_runner`` builds each fresh runner."""

    def __init__(
        self,
        make_runner: Callable[[], SubscriptionRunner],
        *,
        name: str,
        restart_delay: float = 1.0,
        max_restart_delay: float = 30.0,
    ) -> None:
        self.name = name
        self._make_runner = make_runner
        self._restarts = Backoff(restart_delay, max_restart_delay)
        self._stop = asyncio.Event()
        self._replaced = asyncio.Event()
        self._healthy = False
        self.runner = make_runner()

    @property
    def healthy(self) -> bool:
        """True while a runner is running; False between a failure and the restart, and after stop."""
        return self._healthy

    def stop(self) -> None:
        """Let the runner finish the batch in hand and return; no restart follows."""
        self._stop.set()
        self.runner.stop()
        self._replaced.set()

    async def wait_until(self, position: Position) -> None:
        """Return once the checkpoint is at or past ``position``, across restarts; raises once stopped."""
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
        failures = 0
        try:
            while not self._stop.is_set():
                self._healthy = True
                try:
                    await self.runner.run()
                except Exception as error:
                    self._healthy = False
                    failures += 1
                    delay = self._restarts.delay(failures)
                    log.warning(
                        "%s runner failed (%s: %s); restarting in %.1f s",
                        self.name,
                        type(error).__name__,
                        error,
                        delay,
                        extra={"ks_subscriber": self.name, "ks_failures": failures},
                    )
                    with contextlib.suppress(TimeoutError):  # the pause ends early when stopped
                        await asyncio.wait_for(self._stop.wait(), timeout=delay)
                    self._replace()
                else:
                    return
        finally:
            self._healthy = False

    def _replace(self) -> None:
        self.runner = self._make_runner()
        replaced, self._replaced = self._replaced, asyncio.Event()
        replaced.set()


async def wait_stopped(task: asyncio.Task[None], grace: float) -> None:
    """Wait for a task that was asked to stop (:meth:`SupervisedRunner.stop`, a timer's ``stop``) to end,
    so the batch in hand commits; after ``grace`` seconds it is cancelled (rolling that batch back) and a
    warning names it. A task cancelled by someone else ends quietly; the caller's own cancellation is not
    caught."""
    try:
        await asyncio.wait_for(task, timeout=grace)
    except TimeoutError:
        log.warning("%s did not stop within %.1f s; cancelled", task.get_name(), grace)
    except asyncio.CancelledError:
        if not task.cancelled():
            raise
