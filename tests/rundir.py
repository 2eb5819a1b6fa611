"""Scratch directories for one test run each, so concurrent runs never share a server.

A run directory ``<base>/<id>`` is locked (``owner.lock``) for as long as its run lives. It is locked
before it gets its final name, so no other run can mistake a new directory for a stale one. Claiming a
new one first reaps directories whose owner died (killed pytest): their leftover servers are stopped
and their files removed.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from types import TracebackType

from klachtspoor_devtools.devstack.errors import DataDirInUseError
from klachtspoor_devtools.devstack.nats import EmbeddedNats
from klachtspoor_devtools.devstack.postgres import EmbeddedPostgres
from klachtspoor_devtools.devstack.process import OwnerLock


class RunDirectory:
    """Context manager: ``with RunDirectory(base) as path:`` gives a private, locked directory."""

    def __init__(self, base: Path) -> None:
        self.base = base.resolve()
        self.path: Path | None = None
        self._lock: OwnerLock | None = None

    def __enter__(self) -> Path:
        self.base.mkdir(parents=True, exist_ok=True)
        reap_stale(self.base)
        run_id = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        staging = self.base / f".{run_id}"
        staging.mkdir()
        lock = OwnerLock(staging)
        lock.acquire()
        self.path = staging.rename(self.base / run_id)
        self._lock = lock
        return self.path

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.path is not None:
            _stop_servers_in(self.path)
            shutil.rmtree(self.path)
        if self._lock is not None:
            self._lock.release()


def reap_stale(base: Path) -> list[Path]:
    """Remove run directories under ``base`` whose owner is gone, stopping their servers first."""
    reaped: list[Path] = []
    for candidate in sorted(base.iterdir()):
        if candidate.name.startswith(".") or not candidate.is_dir():
            continue
        lock = OwnerLock(candidate)
        try:
            lock.acquire()
        except DataDirInUseError:
            continue  # a live run owns it
        try:
            _stop_servers_in(candidate)
            shutil.rmtree(candidate)
            reaped.append(candidate)
        finally:
            lock.release()
    return reaped


def _stop_servers_in(run_dir: Path) -> None:
    for server_dir in run_dir.iterdir():
        if (server_dir / "pgdata").is_dir():
            EmbeddedPostgres(server_dir).stop_leftovers()
        if (server_dir / "nats.pid").exists():
            EmbeddedNats(server_dir).stop_leftovers()
