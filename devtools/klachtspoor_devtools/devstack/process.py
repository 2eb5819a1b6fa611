"""Low-level process, lock and port helpers shared by the embedded servers (Linux ``/proc`` aware).

Leftovers of a killed run are found through ``/proc``; where that does not exist we fall back to the
pid files the servers write, which is enough on other Unix systems.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import signal
import socket
import time
from pathlib import Path
from typing import IO

from klachtspoor_devtools.devstack.errors import DataDirInUseError, DevStackError

PROC = Path("/proc")


def pid_alive(pid: int) -> bool:
    """True while the process exists and is not a zombie (a zombie holds no port or file)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    stat = PROC / str(pid) / "stat"
    try:
        state = stat.read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return not PROC.is_dir()
    return state not in ("Z", "X")


def cmdline(pid: int) -> list[str]:
    """The argument vector of a process, or [] when it is gone or unreadable."""
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def processes_in(directory: Path, executable: Path) -> list[int]:
    """Pids of the processes running ``executable`` with ``directory`` as working directory.

    PostgreSQL's postmaster and every backend chdir into the cluster directory, so this finds the
    orphaned backends of a killed postmaster, which would otherwise block a new start ("pre-existing
    shared memory block is still in use"). Matching the executable too spares, say, a shell that
    happens to be in that directory.
    """
    if not PROC.is_dir():
        return []
    target, program = str(directory.resolve()), str(executable.resolve())
    found: list[int] = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            running = os.readlink(entry / "exe").removesuffix(" (deleted)")
            if running == program and os.readlink(entry / "cwd") == target:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def wait_gone(pids: list[int], timeout: float) -> list[int]:
    """Wait until the processes have exited; return those still alive after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    alive = [pid for pid in pids if pid_alive(pid)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.02)
        alive = [pid for pid in alive if pid_alive(pid)]
    return alive


def send(pids: list[int], sig: signal.Signals) -> None:
    """Signal each process; one that exited meanwhile is fine."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


def stop_pids(pids: list[int], graceful: signal.Signals, timeout: float) -> None:
    """Ask politely with ``graceful``, wait ``timeout`` seconds, then SIGKILL what is left."""
    send(pids, graceful)
    left = wait_gone(pids, timeout)
    if left:
        send(left, signal.SIGKILL)
        stuck = wait_gone(left, 10.0)
        if stuck:
            raise DevStackError(f"Processes survived SIGKILL: {stuck}")


def read_number(path: Path) -> int | None:
    """The number on the first line of a pid or port file, or None when missing or empty."""
    try:
        first = path.read_text().split("\n", 1)[0].strip()
    except FileNotFoundError:
        return None
    return int(first) if first.isdigit() else None


class OwnerLock:
    """An exclusive ``flock`` on ``<data_dir>/owner.lock`` held while a launcher owns the directory.

    The kernel drops it when the owner dies, however it dies, so a server still running in an
    unlocked directory is a leftover of a killed run and may be stopped; a locked one belongs to a
    live launcher and must be left alone. The descriptor is not inherited by the servers.
    """

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "owner.lock"
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        if self._file is not None:
            return
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise DataDirInUseError(
                f"Data directory in use: {self.path.parent} (locked by pid {holder}); "
                "stop that process or use another directory"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle

    def is_held_elsewhere(self) -> bool:
        """True when another live process holds the lock (we do not take it)."""
        if self._file is not None or not self.path.exists():
            return False
        with self.path.open("a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
            return False

    def release(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """True when nothing listens on (or holds) ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
        return True


def free_port(host: str = "127.0.0.1") -> int:
    """A port the kernel just considered free (another process may still take it: callers retry)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def choose_port(remembered: Path) -> int:
    """The port used last time for this data directory when it is still free, otherwise a new one.

    A stable port keeps a developer's URLs valid across restarts; a taken port never blocks a start.
    """
    previous = read_number(remembered)
    if previous is not None and port_is_free(previous):
        return previous
    return free_port()


def log_tail(path: Path, offset: int, lines: int = 20) -> str:
    """The last lines a server wrote to its log since ``offset``, for error messages."""
    try:
        with path.open("rb") as log:
            log.seek(offset)
            text = log.read().decode(errors="replace")
    except FileNotFoundError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty)"
