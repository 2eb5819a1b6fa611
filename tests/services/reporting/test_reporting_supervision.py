"""The projection supervisor: a failed runner is replaced and the replacement resumes (pure, no I/O)."""

from __future__ import annotations

import asyncio
from typing import cast

from klachtspoor.eventstore.port import Position
from klachtspoor.subscriptions import SubscriptionRunner
from services.reporting.adapters.running import SupervisedProjection


class StubRunner:
    """Fails its run when told to; otherwise runs until stopped and reports one checkpoint."""

    def __init__(self, fail: bool) -> None:
        self.fail, self._stop = fail, asyncio.Event()
        self.started = asyncio.Event()

    async def run(self) -> None:
        self.started.set()
        if self.fail:
            raise ConnectionError("read-model database went away")
        await self._stop.wait()

    def stop(self) -> None:
        self._stop.set()

    async def wait_until(self, position: Position) -> None:
        await self.started.wait()
        if self.fail:
            raise RuntimeError("stopped before reaching it")


async def test_a_failed_runner_is_replaced_and_waiting_continues_on_the_new_one() -> None:
    made: list[StubRunner] = []

    def make() -> SubscriptionRunner:
        made.append(StubRunner(fail=len(made) < 2))
        return cast(SubscriptionRunner, made[-1])

    projection = SupervisedProjection(make, restart_delay=0.01, max_restart_delay=0.02)
    task = asyncio.create_task(projection.run())
    await asyncio.wait_for(projection.wait_until(Position(1, 1)), timeout=5)
    assert len(made) == 3
    assert projection.healthy
    projection.stop()
    await asyncio.wait_for(task, timeout=5)
    assert not projection.healthy
