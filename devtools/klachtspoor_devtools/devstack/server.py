"""What the embedded PostgreSQL and NATS launchers share: one owner per data directory, start with
clean-up on failure, stop (also of a leftover from a killed run)."""

from __future__ import annotations

import signal
import subprocess
from abc import ABC, abstractmethod
from pathlib import Path

from klachtspoor_devtools.devstack.errors import DevStackError
from klachtspoor_devtools.devstack.process import OwnerLock, stop_pids


class EmbeddedServer(ABC):
    label: str
    """Shown in errors, e.g. "PostgreSQL"."""
    stop_signal: signal.Signals
    """How the server is asked to stop before it is killed."""
    stop_timeout: float
    """Seconds to wait after ``stop_signal`` before killing."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir.resolve()
        self._lock = OwnerLock(self.data_dir)
        self._process: subprocess.Popen[bytes] | None = None
        self.port: int | None = None

    @property
    @abstractmethod
    def url(self) -> str: ...

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> str:
        """Take the data directory, boot the server and wait until it serves; undo it all on failure."""
        if self._process is not None:
            return self.url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._lock.acquire()
        try:
            self._boot()
        except BaseException:
            self._terminate()
            self._lock.release()
            raise
        return self.url

    def stop(self) -> None:
        """Ask to stop, wait, kill if needed; also stops a leftover of a killed run."""
        if self._process is None and self._lock.is_held_elsewhere():
            raise DevStackError(f"{self.label} in {self.data_dir} belongs to another live process")
        self._terminate()
        if self.data_dir.exists():
            self.stop_leftovers()
        self._lock.release()

    @abstractmethod
    def _boot(self) -> None:
        """Clean up leftovers, start the server process (``self._process``) and wait until it serves."""

    @abstractmethod
    def stop_leftovers(self) -> None:
        """Stop a server left running on this data directory by a killed run."""

    def _terminate(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            stop_pids([process.pid], self.stop_signal, self.stop_timeout)
            process.wait()
