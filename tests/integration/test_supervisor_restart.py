"""The supervisor's restart mode (the stack of ``klachtspoor chaos run``): a child that dies is started
again after its backoff, a crash loop is bounded, and without the mode a dead child stays dead."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from klachtspoor_devtools.devstack.process import pid_alive
from klachtspoor_devtools.devstack.supervisor import ChildExit, ProcessSpec, RestartPolicy, Supervisor

SLEEPER = ProcessSpec(
    name="sleeper", argv=(sys.executable, "-c", "import time; print('up', flush=True); time.sleep(60)")
)
QUICK = RestartPolicy(max_restarts=3, initial_backoff=0.05, max_backoff=0.2, stable_after=30.0)


def until(condition: object, within: float = 30.0) -> None:
    """Poll ``condition()`` until true; fail after ``within`` s (only a hung test gets there)."""
    assert callable(condition)
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {within:.0f} s")
        time.sleep(0.05)


def test_backoff_doubles_up_to_its_bound() -> None:
    policy = RestartPolicy(initial_backoff=0.5, max_backoff=3.0)
    assert [policy.backoff(n) for n in (1, 2, 3, 4, 5)] == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_a_killed_child_is_started_again_with_a_new_pid() -> None:
    lines: list[tuple[str, str]] = []
    supervisor = Supervisor([SLEEPER], write=lambda name, line: lines.append((name, line)), restart=QUICK)
    supervisor.start()
    try:
        first = supervisor.pids["sleeper"]
        until(lambda: ("sleeper", "up") in lines)
        os.killpg(first, signal.SIGKILL)
        until(lambda: supervisor.restarts["sleeper"] == 1)
        second = supervisor.pids["sleeper"]
        assert second != first and pid_alive(second)
        assert supervisor.exited() is None  # a restarted child is not reported as dead
        until(lambda: lines.count(("sleeper", "up")) == 2)
        assert ("sleeper", "exited with code -9: restarting in 0.1 s") in lines
    finally:
        supervisor.stop()
    assert not pid_alive(second)


def test_a_crash_loop_uses_up_its_restarts_and_is_then_reported() -> None:
    failing = ProcessSpec(name="failing", argv=(sys.executable, "-c", "raise SystemExit(3)"))
    lines: list[tuple[str, str]] = []
    supervisor = Supervisor([failing], write=lambda name, line: lines.append((name, line)), restart=QUICK)
    supervisor.start()
    try:
        assert supervisor.wait(threading.Event(), timeout=30) == ChildExit("failing", 3)
        assert supervisor.restarts["failing"] == QUICK.max_restarts
        assert ("failing", "exited with code 3: 3 restarts used, given up") in lines
    finally:
        supervisor.stop()


def test_without_a_policy_a_dead_child_stays_dead() -> None:
    supervisor = Supervisor([SLEEPER], write=lambda name, line: None)
    supervisor.start()
    try:
        pid = supervisor.pids["sleeper"]
        os.killpg(pid, signal.SIGKILL)
        assert supervisor.wait(threading.Event(), timeout=30) == ChildExit("sleeper", -9)
        assert supervisor.restarts == {"sleeper": 0} and supervisor.pids["sleeper"] == pid
    finally:
        supervisor.stop()


def test_the_state_file_names_the_restarted_child(tmp_path: Path) -> None:
    state = tmp_path / "children.json"
    supervisor = Supervisor([SLEEPER], write=lambda name, line: None, state_file=state, restart=QUICK)
    supervisor.start()
    try:
        os.killpg(supervisor.pids["sleeper"], signal.SIGKILL)
        until(lambda: supervisor.restarts["sleeper"] == 1)
        until(lambda: f'"pid": {supervisor.pids["sleeper"]}' in state.read_text())
    finally:
        supervisor.stop()
    assert not state.exists()


@pytest.mark.parametrize("field", ["max_restarts", "initial_backoff"])
def test_a_policy_refuses_negative_bounds(field: str) -> None:
    with pytest.raises(ValueError, match=field):
        RestartPolicy.model_validate({field: -1})
