"""Child processes' output in a file each, and a check that a local port accepts connections.

Shared by what starts a stack away from a terminal (the end-to-end bench, the end-to-end tests): their
own output stays readable, and a child's log is there to quote when it fails.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from typing import IO


class ProcessLogs:
    """One log file per process (``<name>.log``), appended across restarts; read back on failure."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self._files: dict[str, IO[str]] = {}
        self._lock = threading.Lock()

    def write(self, name: str, line: str) -> None:
        with self._lock:
            handle = self._files.get(name)
            if handle is None:
                handle = self._files[name] = (self.directory / f"{name}.log").open("a", encoding="utf-8")
            handle.write(line + "\n")
            handle.flush()

    def tail(self, name: str, lines: int = 20) -> str:
        path = self.directory / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def tails(self, lines: int = 60) -> str:
        parts = []
        for path in sorted(self.directory.glob("*.log")):
            text = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
            parts.append(f"===== {path.name} (last {len(text)} lines) =====\n" + "\n".join(text))
        return "\n".join(parts)

    def close(self) -> None:
        with self._lock:
            for handle in self._files.values():
                handle.close()
            self._files.clear()


def accepts(port: int, host: str = "127.0.0.1") -> bool:
    """A TCP connection to ``host:port`` succeeds (the server is listening)."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False
