"""Run the stack's child processes: start in order, stream their output, stop in reverse order.

Children run in their own sessions so a Ctrl-C in the terminal reaches only the launcher; the
launcher then stops them one by one (SIGTERM to the child's process group, SIGKILL after a grace
period) before it stops the servers they depend on.
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

from pydantic import BaseModel, ConfigDict

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


def _print_line(name: str, line: str) -> None:
    print(f"{name} | {line}", flush=True)


class Supervisor:
    """Owns the child processes of one ``dev up``."""

    def __init__(
        self, specs: Sequence[ProcessSpec], *, write: Writer = _print_line, state_file: Path | None = None
    ) -> None:
        self.specs = list(specs)
        self._write = write
        self._children: list[_Child] = []
        self._state_file = state_file

    @property
    def pids(self) -> dict[str, int]:
        return {child.spec.name: child.process.pid for child in self._children}

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
        if self._state_file is not None:
            records = [
                {"name": c.spec.name, "pid": c.process.pid, "argv": c.spec.argv} for c in self._children
            ]
            self._state_file.write_text(json.dumps(records))

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
        """The first child found to have ended, if any."""
        for child in self._children:
            code = child.process.poll()
            if code is not None:
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
