"""The stack ``klachtspoor bench e2e`` measures: ``dev up``'s servers and child processes in a scratch data
directory, on free ports, with a mail directory and a dev JWT key pair of its own.

Built from the devstack's own pieces (:class:`DevStack`, ``child_processes``, :class:`Supervisor`,
``wait_until_ready``), so the bench runs what developers run. Configured servers win as in ``dev up``;
a configured PostgreSQL gets a scratch database of the bench's own (dropped afterwards), so the services
never see a developer's cases. A configured NATS server is used as it is: give the bench one of its own.
A configured SMTP server is not: mails always go to the stack's own dev sink, whose log the bench reads.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

from klachtspoor.auth.devkeys import mint_token
from klachtspoor.pgtools import create_database, drop_database, scratch_name
from klachtspoor_devtools.devstack.errors import DevStackError
from klachtspoor_devtools.devstack.guide import DEMO_TENANT, service_url, wait_until_ready
from klachtspoor_devtools.devstack.logfiles import ProcessLogs, accepts
from klachtspoor_devtools.devstack.process import free_port
from klachtspoor_devtools.devstack.stack import (
    DATA_DIR_VAR,
    DATABASE_VAR,
    DEFAULT_PORTS,
    JWT_KEY_VAR,
    SMTP_HOST_VAR,
    SMTP_PORT_VAR,
    DevStack,
    Endpoints,
    child_processes,
    klachtspoor_command,
    run_migrations,
)
from klachtspoor_devtools.devstack.supervisor import RestartPolicy, Supervisor

ROLES = ("care_worker",)
STATS_FLUSH_SECONDS = 11.0
"""PostgreSQL backends report their statistics when idle, at the latest 10 s after their last one."""
SMTP_READY_SECONDS = 30.0


@dataclass
class BenchStack:
    """A running scratch stack; :meth:`stop` ends it (children, servers, scratch database, directory)."""

    endpoints: Endpoints
    supervisor: Supervisor
    servers: DevStack
    logs: ProcessLogs
    keep: bool
    scratch_database: tuple[str, str] | None = None
    """(server URL, database name) of a scratch database made on a configured server."""
    pids: dict[str, int] = field(default_factory=dict)
    """Process name -> pid: the children, and the embedded servers when they run."""

    @property
    def intake_url(self) -> str:
        return service_url(self.endpoints, "intake")

    @property
    def mail_dir(self) -> Path:
        return self.endpoints.mail_dir

    @property
    def data_dir(self) -> Path:
        return self.endpoints.data_dir

    def token(self) -> str:
        """One bearer token for the demo tenant, minted once (signing with RSA is not free)."""
        private_key = (self.endpoints.jwt_public_key.parent / "private.pem").read_text()
        return mint_token(private_key, subject="bench-e2e", tenant_roles={DEMO_TENANT: ROLES})

    async def database_counters(self) -> dict[str, int]:
        """The database's cumulative commits and row counts (``pg_stat_database``). Backends report
        them when idle, within ``STATS_FLUSH_SECONDS``: wait that long after the work before reading."""
        connection = await asyncpg.connect(self.endpoints.database_url)
        try:
            row = await connection.fetchrow(
                "SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted, tup_fetched"
                " FROM pg_stat_database WHERE datname = current_database()"
            )
        finally:
            await connection.close()
        return {} if row is None else {name: int(value) for name, value in row.items()}

    def stop(self) -> None:
        try:
            self.supervisor.stop()
        finally:
            try:
                self.servers.stop()
            finally:
                self.logs.close()
                if self.scratch_database is not None:
                    asyncio.run(drop_database(*self.scratch_database))
                if not self.keep:
                    shutil.rmtree(self.data_dir, ignore_errors=True)


def start_bench_stack(
    environ: Mapping[str, str],
    parent: Path,
    *,
    keep: bool = False,
    prefix: str = "bench-e2e-",
    restart: RestartPolicy | None = None,
    settings: Mapping[str, str] | None = None,
) -> BenchStack:
    """Start servers (embedded unless configured), migrate, start every child and wait until ready.

    The scratch directory is made under ``parent`` (the CLI gives the dev data directory, on the same
    disk as ``dev up``'s: a temporary directory in memory would make PostgreSQL's fsync free), named
    ``prefix…``. ``restart`` makes the supervisor start a dead child again (the fault run's stack);
    ``settings`` are added to every child's environment (e.g. a shorter ack wait)."""
    parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=prefix, dir=parent)).resolve()
    # Always the dev sink (its log is where the bench reads each mail's acceptance time) and the scratch
    # directory's own JWT key pair (the bench signs its token with that private key).
    environ = {name: value for name, value in environ.items() if name not in (SMTP_HOST_VAR, JWT_KEY_VAR)}
    environ[DATA_DIR_VAR] = str(scratch)
    environ.update({f"KLACHTSPOOR_{name.upper()}_PORT": str(free_port()) for name in DEFAULT_PORTS})
    database: tuple[str, str] | None = None
    if environ.get(DATABASE_VAR):
        database = (environ[DATABASE_VAR], scratch_name("bench_e2e"))
        environ[DATABASE_VAR] = asyncio.run(create_database(*database))
    servers = DevStack(scratch, environ)
    logs = ProcessLogs(scratch / "logs")
    stack: BenchStack | None = None
    try:
        endpoints = servers.start()
        run_migrations(endpoints.database_url)
        env = {**endpoints.environment(), **(settings or {})}
        children = child_processes(klachtspoor_command(), env)
        supervisor = Supervisor(children, write=logs.write, restart=restart)
        stack = BenchStack(endpoints, supervisor, servers, logs, keep, database)
        supervisor.start()
        _wait_ready(stack, int(env[SMTP_PORT_VAR]))
        stack.pids.update(supervisor.pids)
        if servers.postgres is not None and servers.postgres.pid is not None:
            stack.pids["postgres"] = servers.postgres.pid
        if servers.nats is not None and servers.nats.pid is not None:
            stack.pids["nats"] = servers.nats.pid
        return stack
    except BaseException:
        if stack is not None:
            stack.stop()
        else:
            servers.stop()
            logs.close()
            if database is not None:
                asyncio.run(drop_database(*database))
            shutil.rmtree(scratch, ignore_errors=True)
        raise


def _wait_ready(stack: BenchStack, smtp_port: int) -> None:
    ended = wait_until_ready(stack.endpoints, threading.Event(), stack.supervisor)
    if ended is not None:
        tail = stack.logs.tail(ended.name)
        raise DevStackError(f"{ended.name} exited with code {ended.returncode} while starting:\n{tail}")
    deadline = time.monotonic() + SMTP_READY_SECONDS
    while not accepts(smtp_port):
        if time.monotonic() > deadline:
            raise DevStackError(f"The SMTP sink does not accept connections on port {smtp_port}")
        time.sleep(0.1)
