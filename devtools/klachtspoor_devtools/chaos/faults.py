"""The fault actions of a run, each on the run's own stack (never a configured server), each undone
by itself: a killed child is restarted by the supervisor, NATS and PostgreSQL are started again, the SMTP
sink accepts again, a stopped process is continued. :meth:`FaultInjector.heal` undoes whatever a run
interrupted midway left behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import assert_never

from klachtspoor_devtools.bench.e2e_stack import BenchStack
from klachtspoor_devtools.chaos.schedule import Fault, FaultKind
from klachtspoor_devtools.devstack.errors import DevStackError
from klachtspoor_devtools.devstack.smtp import accept_mail, refuse_mail

RESTART_WITHIN = 120.0
"""Seconds a killed child may take to be running again before the fault counts as not healed."""


class FaultFailed(DevStackError):
    """A fault could not be applied or undone (the stack did not come back as it should)."""


@dataclass(frozen=True)
class Applied:
    """One fault as it happened: when (seconds after the load began), and how long it took to undo."""

    fault: Fault
    began: float
    seconds: float
    note: str
    wall: float
    """When it began, Unix time (the clock the SMTP sink stamps mails with)."""

    def crash_window(self, margin: float) -> tuple[float, float] | None:
        """(start, end) in Unix time when notify could have been cut off between a handover and its
        record: notify killed or stopped, PostgreSQL down; None for the other faults."""
        on_notify = self.fault.kind in (FaultKind.KILL, FaultKind.PAUSE) and self.fault.target == "notify"
        if on_notify or self.fault.kind is FaultKind.POSTGRES_RESTART:
            return (self.wall - margin, self.wall + self.seconds + margin)
        return None


@dataclass
class FaultInjector:
    stack: BenchStack
    clock: Callable[[], float] = time.monotonic
    applied: list[Applied] = field(default_factory=list)
    _paused: set[int] = field(default_factory=set)
    _nats_stopped: bool = False
    _servers: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(max_workers=1))
    """Stops and starts of the servers run here, never waiting for a worker of the loop's default pool."""

    async def _in_thread(self, work: Callable[[], str | None]) -> str | None:
        return await asyncio.get_running_loop().run_in_executor(self._servers, work)

    async def apply(self, fault: Fault, began: float) -> Applied:
        """Apply ``fault`` and wait until it is undone; ``began`` is the load's start (clock time)."""
        start, wall = self.clock(), time.time()
        note = await self._apply(fault)
        done = Applied(fault, start - began, self.clock() - start, note, wall)
        self.applied.append(done)
        return done

    async def _apply(self, fault: Fault) -> str:
        match fault.kind:
            case FaultKind.KILL:
                return await self._kill(_target(fault))
            case FaultKind.NATS_DOWN:
                return await self._nats_down(fault.duration)
            case FaultKind.POSTGRES_RESTART:
                return await self._postgres_restart()
            case FaultKind.SMTP_REFUSAL:
                refuse_mail(self.stack.mail_dir)
                try:
                    await asyncio.sleep(fault.duration)
                finally:
                    accept_mail(self.stack.mail_dir)
                return "accepting again"
            case FaultKind.PAUSE:
                return await self._pause(_target(fault), fault.duration)
            case _:
                assert_never(fault.kind)

    async def _kill(self, name: str) -> str:
        supervisor = self.stack.supervisor
        before, pid = supervisor.restarts[name], supervisor.pids[name]
        os.killpg(pid, signal.SIGKILL)
        deadline = self.clock() + RESTART_WITHIN
        while supervisor.restarts[name] == before:
            if supervisor.exited() is not None or self.clock() > deadline:
                raise FaultFailed(f"{name} (pid {pid}) was not started again after SIGKILL")
            await asyncio.sleep(0.05)
        return f"pid {pid} killed, now pid {supervisor.pids[name]}"

    async def _nats_down(self, seconds: float) -> str:
        nats = self.stack.servers.nats
        if nats is None:
            raise FaultFailed("the run's stack has no embedded NATS to stop")
        url = nats.url
        self._nats_stopped = True
        await self._in_thread(nats.stop)
        try:
            await asyncio.sleep(seconds)
        finally:
            back = await self._in_thread(nats.start)
            self._nats_stopped = False
        if back != url:
            raise FaultFailed(f"NATS came back at {back}, not at {url} where the services look")
        return f"started again at {back}"

    async def _postgres_restart(self) -> str:
        postgres = self.stack.servers.postgres
        if postgres is None:
            raise FaultFailed("the run's stack has no embedded PostgreSQL to restart")
        url = await self._in_thread(postgres.restart_immediately)
        return f"recovered, accepting at {url}"

    async def _pause(self, name: str, seconds: float) -> str:
        pid = self.stack.supervisor.pids[name]
        os.killpg(pid, signal.SIGSTOP)
        self._paused.add(pid)
        try:
            await asyncio.sleep(seconds)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGCONT)
            self._paused.discard(pid)
        return f"pid {pid} continued"

    def heal(self) -> None:
        """Undo what an interrupted fault left: continue stopped processes, accept mail, start NATS."""
        for pid in list(self._paused):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGCONT)
        self._paused.clear()
        accept_mail(self.stack.mail_dir)
        nats = self.stack.servers.nats
        if self._nats_stopped and nats is not None:
            nats.start()
            self._nats_stopped = False
        self._servers.shutdown(wait=True)


def _target(fault: Fault) -> str:
    if fault.target is None:
        raise FaultFailed(f"{fault.kind} needs a target process: {fault}")
    return fault.target
