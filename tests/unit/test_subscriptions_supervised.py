"""The supervisor of a subscription runner: a failed runner is replaced after a growing pause and the
replacement resumes; a stop or a cancellation ends it; every failure is logged with its cause (pure)."""

from __future__ import annotations

import asyncio
import itertools
import logging
from typing import cast

import pytest

from klachtspoor.eventstore.port import Position
from klachtspoor.subscriptions import SubscriptionRunner, SupervisedRunner


class StubRunner:
    """Fails its run when told to; otherwise runs until stopped and reports one checkpoint."""

    def __init__(self, fail: bool) -> None:
        self.fail, self._stop = fail, asyncio.Event()
        self.started = asyncio.Event()
        self.started_at = 0.0

    async def run(self) -> None:
        self.started_at = asyncio.get_running_loop().time()
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


class Runners:
    """Makes stub runners; the first ``failing`` of them fail."""

    def __init__(self, failing: int) -> None:
        self.failing, self.made = failing, list[StubRunner]()

    def __call__(self) -> SubscriptionRunner:
        self.made.append(StubRunner(fail=len(self.made) < self.failing))
        return cast(SubscriptionRunner, self.made[-1])


async def test_a_failed_runner_is_replaced_and_waiting_continues_on_the_new_one() -> None:
    runners = Runners(failing=2)
    projection = SupervisedRunner(runners, name="reporting", restart_delay=0.01, max_restart_delay=0.02)
    task = asyncio.create_task(projection.run())
    await asyncio.wait_for(projection.wait_until(Position(1, 1)), timeout=5)
    assert len(runners.made) == 3
    assert projection.healthy
    projection.stop()
    await asyncio.wait_for(task, timeout=5)
    assert not projection.healthy


async def test_the_pause_before_each_restart_grows_up_to_the_maximum() -> None:
    runners = Runners(failing=4)
    supervised = SupervisedRunner(runners, name="index", restart_delay=0.05, max_restart_delay=0.1)
    task = asyncio.create_task(supervised.run())
    await asyncio.wait_for(supervised.wait_until(Position(1, 1)), timeout=5)
    starts = [runner.started_at for runner in runners.made]
    pauses = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert len(pauses) == 4
    assert pauses[0] >= 0.05
    assert all(pause >= 0.1 for pause in pauses[1:])
    assert all(pause < 1.0 for pause in pauses)
    supervised.stop()
    await asyncio.wait_for(task, timeout=5)


async def test_each_failure_is_logged_with_its_cause(caplog: pytest.LogCaptureFixture) -> None:
    runners = Runners(failing=1)
    supervised = SupervisedRunner(runners, name="reporting", restart_delay=0.01)
    task = asyncio.create_task(supervised.run())
    with caplog.at_level(logging.WARNING, logger="klachtspoor.subscriptions.supervised"):
        await asyncio.wait_for(supervised.wait_until(Position(1, 1)), timeout=5)
    [record] = [r for r in caplog.records if r.name == "klachtspoor.subscriptions.supervised"]
    assert record.levelno == logging.WARNING
    message = record.getMessage()
    assert "reporting" in message
    assert "ConnectionError" in message
    assert "read-model database went away" in message
    supervised.stop()
    await asyncio.wait_for(task, timeout=5)


async def test_a_cancelled_supervisor_ends_without_a_restart() -> None:
    runners = Runners(failing=0)
    supervised = SupervisedRunner(runners, name="reporting", restart_delay=0.01)
    task = asyncio.create_task(supervised.run())
    await asyncio.wait_for(runners.made[0].started.wait(), timeout=5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert len(runners.made) == 1
    assert not supervised.healthy


async def test_a_cancellation_during_the_pause_is_not_swallowed() -> None:
    runners = Runners(failing=1)
    supervised = SupervisedRunner(runners, name="reporting", restart_delay=30.0)
    task = asyncio.create_task(supervised.run())
    await asyncio.wait_for(runners.made[0].started.wait(), timeout=5)
    await asyncio.sleep(0.05)  # now in the 30 s pause
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, timeout=5)
    assert len(runners.made) == 1


async def test_a_stop_during_the_pause_ends_the_run_at_once() -> None:
    runners = Runners(failing=1)
    supervised = SupervisedRunner(runners, name="reporting", restart_delay=30.0)
    task = asyncio.create_task(supervised.run())
    await asyncio.wait_for(runners.made[0].started.wait(), timeout=5)
    supervised.stop()
    await asyncio.wait_for(task, timeout=5)
    assert not any(runner.started.is_set() for runner in runners.made[1:])
    assert not supervised.healthy
