"""Run the stack's child processes: start in order, stream their output, stop in reverse order.

Children run in their own sessions so a Ctrl-C in the terminal reaches only the launcher; the
launcher then stops them one by one (SIGTERM to the child's process group, SIGKILL after a grace
period) before it stops the servers they depend on.

With a :class:`RestartPolicy` (the stack of ``klachtspoor chaos run``) a child that dies is started
again after a backoff, as a production supervisor (systemd, Kubernetes) would; the restarts of a child
are bounded, and one that used them up is reported by :meth:`Supervisor.exited` like any dead child.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from pydantic import BaseModel, ConfigDict, Field

from klachtspoor_devtools.devstack.errors import DevStackError
from klachtspoor_devtools.devstack.process import cmdline, pid_alive, wait_gone

Writer = Callable[[str, str], None]
"""Receives (process name, one line of its output)."""


class ProcessSpec(BaseModel):
    """One child process of the dev stack; ``env`` is added to the launcher's environment."""

    model_config = ConfigDict(frozen=True)

    name: str
    argv: tuple[str, ...]
    env: dict[str, str] = {}


class RestartPolicy(BaseModel):
    """Restart a dead child after ``initial_backoff`` s, doubling for each death in a row up to
    ``max_backoff``; at most ``max_restarts`` times per child. A child that ran ``stable_after`` s before
    it died starts the doubling afresh (a crash now and then is not a crash loop)."""

    model_config = ConfigDict(frozen=True)

    max_restarts: int = Field(default=20, ge=0)
    initial_backoff: float = Field(default=0.2, gt=0)
    max_backoff: float = Field(default=5.0, gt=0)
    stable_after: float = Field(default=10.0, gt=0)

    def backoff(self, deaths_in_a_row: int) -> float:
        """Seconds to wait before the restart after the n-th death in a row (n >= 1)."""
        return min(self.max_backoff, self.initial_backoff * 2.0 ** max(0, deaths_in_a_row - 1))


@dataclass(frozen=True)
class ChildExit:
    """A child that ended while it should have been running."""

    name: str
    returncode: int


@dataclass
class _Child:
    spec: ProcessSpec
    process: subprocess.Popen[bytes]
    pump: threading.Thread = field(repr=False)
    started: float = field(default_factory=time.monotonic)
    restarts: int = 0
    deaths_in_a_row: int = 0
    restart_at: float | None = None
    """When the dead child is due to be started again (None: running, or given up)."""
    given_up: bool = False


def _print_line(name: str, line: str) -> None:
    print(f"{name} | {line}", flush=True)


class Supervisor:
    """Owns the child processes of one ``dev up``."""

    def __init__(
        self,
        specs: Sequence[ProcessSpec],
        *,
        write: Writer = _print_line,
        state_file: Path | None = None,
        restart: RestartPolicy | None = None,
    ) -> None:
        self.specs = list(specs)
        self._write = write
        self._children: list[_Child] = []
        self._state_file = state_file
        self._restart = restart
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None

    @property
    def pids(self) -> dict[str, int]:
        """Each child's pid now (a restarted child's new one)."""
        with self._lock:
            return {child.spec.name: child.process.pid for child in self._children}

    @property
    def restarts(self) -> dict[str, int]:
        """How often each child was started again after it died."""
        with self._lock:
            return {child.spec.name: child.restarts for child in self._children}

    def start(self) -> None:
        """Start every child in order; if one cannot be started, stop those already running.

        With a ``state_file``, children a killed launcher left running are stopped first, and the
        new ones are recorded there until ``stop()``.
        """
        self._stop_leftovers()
        for spec in self.specs:
            try:
                self._children.append(self._spawn(spec))
            except OSError as error:
                self.stop()
                raise DevStackError(
                    f"Could not start {spec.name!r} ({' '.join(spec.argv)}): {error}"
                ) from error
        self._record_state()
        if self._restart is not None:
            self._stopping.clear()
            self._watcher = threading.Thread(target=self._watch, args=(self._restart,), daemon=True)
            self._watcher.start()

    def _record_state(self) -> None:
        if self._state_file is not None:
            with self._lock:
                records = [
                    {"name": c.spec.name, "pid": c.process.pid, "argv": c.spec.argv} for c in self._children
                ]
            self._state_file.write_text(json.dumps(records))

    def _watch(self, policy: RestartPolicy, interval: float = 0.05) -> None:
        """Restart mode: notice dead children, and start each again once its backoff has passed."""
        while not self._stopping.wait(interval):
            with self._lock:
                for child in self._children:
                    self._tend(child, policy)

    def _tend(self, child: _Child, policy: RestartPolicy) -> None:
        code = child.process.poll()
        if code is None or child.given_up:
            return
        now = time.monotonic()
        if child.restart_at is None:
            if now - child.started >= policy.stable_after:
                child.deaths_in_a_row = 0
            child.deaths_in_a_row += 1
            if child.restarts >= policy.max_restarts:
                child.given_up = True
                self._write(
                    child.spec.name, f"exited with code {code}: {child.restarts} restarts used, given up"
                )
                return
            delay = policy.backoff(child.deaths_in_a_row)
            child.restart_at = now + delay
            self._write(child.spec.name, f"exited with code {code}: restarting in {delay:.1f} s")
            return
        if now < child.restart_at:
            return
        child.pump.join(timeout=2)
        try:
            fresh = self._spawn(child.spec)
        except OSError as error:
            child.given_up = True
            self._write(child.spec.name, f"could not be started again: {error}")
            return
        child.process, child.pump, child.started = fresh.process, fresh.pump, fresh.started
        child.restarts += 1
        child.restart_at = None
        self._write(child.spec.name, f"restarted (pid {child.process.pid}, restart {child.restarts})")
        self._record_state()

    def _stop_leftovers(self, grace: float = 10.0) -> None:
        if self._state_file is None or not self._state_file.exists():
            return
        for record in reversed(json.loads(self._state_file.read_text())):
            pid, argv = int(record["pid"]), list(record["argv"])
            # The kernel shows a script as [interpreter, script, args...]: compare the tail.
            if pid_alive(pid) and cmdline(pid)[-len(argv) :] == argv:
                self._write(record["name"], f"left running by a killed launcher (pid {pid}): stopping it")
                _signal_group(pid, signal.SIGTERM)
                if wait_gone([pid], grace):
                    _signal_group(pid, signal.SIGKILL)
                    wait_gone([pid], grace)
        self._state_file.unlink()

    def _spawn(self, spec: ProcessSpec) -> _Child:
        process = subprocess.Popen(
            spec.argv,
            env={**os.environ, **spec.env},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        pump = threading.Thread(target=self._pump, args=(spec.name, process), daemon=True)
        pump.start()
        return _Child(spec, process, pump)

    def _pump(self, name: str, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            self._write(name, raw.decode(errors="replace").rstrip("\r\n"))

    def exited(self) -> ChildExit | None:
        """The first child found to have ended, if any (in restart mode: for good, restarts used up)."""
        with self._lock:
            for child in self._children:
                code = child.process.poll()
                if code is not None and (self._restart is None or child.given_up):
                    return ChildExit(child.spec.name, code)
        return None

    def wait(
        self, stop: threading.Event, *, timeout: float | None = None, interval: float = 0.2
    ) -> ChildExit | None:
        """Block until ``stop`` is set or ``timeout`` passes (None), or a child ends (which one)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not stop.wait(interval):
            ended = self.exited()
            if ended is not None:
                return ended
            if deadline is not None and time.monotonic() >= deadline:
                return None
        return None

    def stop(self, grace: float = 10.0) -> None:
        """Stop the children in reverse start order: SIGTERM, wait ``grace`` seconds, SIGKILL."""
        self._stopping.set()
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.join()
        while self._children:
            child = self._children.pop()
            if child.process.poll() is None:
                _signal_group(child.process.pid, signal.SIGTERM)
                try:
                    child.process.wait(grace)
                except subprocess.TimeoutExpired:
                    self._write(child.spec.name, f"did not stop within {grace:g} s: killed")
                    _signal_group(child.process.pid, signal.SIGKILL)
                    child.process.wait()
            child.pump.join(timeout=2)
        if self._state_file is not None:
            self._state_file.unlink(missing_ok=True)


def _signal_group(pid: int, sig: signal.Signals) -> None:
    """Signal the child's whole process group (it leads its own session), so its helpers stop too."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)


@contextlib.contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """While active, SIGINT and SIGTERM set ``stop`` instead of interrupting; restored afterwards."""

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
