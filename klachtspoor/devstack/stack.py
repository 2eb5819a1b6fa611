"""What ``klachtspoor dev up`` runs: the servers (embedded or configured), migrations, the master key,
and the one list of child processes.

Configured servers win: KLACHTSPOOR_DATABASE_URL / KLACHTSPOOR_NATS_URL skip the embedded ones.
"""

from __future__ import annotations

import asyncio
import base64
import importlib
import inspect
import os
import secrets
import subprocess
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from klachtspoor.devstack.nats import EmbeddedNats
from klachtspoor.devstack.postgres import EmbeddedPostgres
from klachtspoor.devstack.process import OwnerLock
from klachtspoor.devstack.supervisor import ProcessSpec

DATABASE_VAR = "KLACHTSPOOR_DATABASE_URL"
NATS_VAR = "KLACHTSPOOR_NATS_URL"
MASTER_KEY_VAR = "KLACHTSPOOR_MASTER_KEY"
DATA_DIR_VAR = "KLACHTSPOOR_DATA_DIR"
MIGRATIONS_MODULE = "klachtspoor.eventstore.postgres"


def child_processes(command: Sequence[str], env: Mapping[str, str]) -> list[ProcessSpec]:
    """Every child process of the dev stack, in start order (stopped in reverse).

    The services (intake, escalation, notify, reporting) join this list as they are built.
    """
    return [ProcessSpec(name="relay", argv=(*command, "relay", "run"), env=dict(env))]


def klachtspoor_command() -> list[str]:
    """How to run our own CLI from a child process: the console script beside this interpreter."""
    script = Path(sys.executable).parent / "klachtspoor"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from klachtspoor.cli.main import app; app()"]


def is_available(spec: ProcessSpec) -> bool:
    """True when ``<argv> --help`` succeeds: the command exists in this checkout."""
    result = subprocess.run(
        [*spec.argv, "--help"], capture_output=True, check=False, timeout=60, env={**os.environ, **spec.env}
    )
    return result.returncode == 0


def master_key(path: Path) -> str:
    """The dev master key: 32 random bytes, base64, kept in ``path`` (mode 0600), made on first use."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(base64.b64encode(secrets.token_bytes(32)).decode() + "\n")
    return path.read_text().strip()


def run_migrations(database_url: str) -> bool:
    """Apply the event store schema; False when this checkout has no migrations yet."""
    try:
        module = importlib.import_module(MIGRATIONS_MODULE)
    except ModuleNotFoundError as error:
        if error.name is not None and MIGRATIONS_MODULE.startswith(error.name):
            return False
        raise
    migrate = getattr(module, "migrate", None)
    if migrate is None:
        return False
    result = migrate(database_url)
    if inspect.isawaitable(result):
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, _awaited(result)).result()
    return True


async def _awaited(awaitable: Any) -> None:
    await awaitable


def data_dir_of(root: Path, environ: Mapping[str, str]) -> Path:
    return (root / environ.get(DATA_DIR_VAR, ".dev")).resolve()


@dataclass(frozen=True)
class Endpoints:
    """Where the stack runs, and the environment its processes get."""

    database_url: str
    nats_url: str
    data_dir: Path
    master_key: str

    def environment(self) -> dict[str, str]:
        return {
            DATABASE_VAR: self.database_url,
            NATS_VAR: self.nats_url,
            MASTER_KEY_VAR: self.master_key,
            DATA_DIR_VAR: str(self.data_dir),
        }


class DevStack:
    """The servers of ``dev up``: configured ones from the environment, else embedded under ``.dev/``."""

    def __init__(self, root: Path, environ: Mapping[str, str]) -> None:
        self.environ = dict(environ)
        self.data_dir = data_dir_of(root, environ)
        self.postgres: EmbeddedPostgres | None = None
        self.nats: EmbeddedNats | None = None
        self._lock = OwnerLock(self.data_dir)
        self.children_file = self.data_dir / "children.json"

    def start(self) -> Endpoints:
        """Start what is not configured (durable), migrate, and load or make the master key.

        One ``dev up`` per data directory: a second one fails here, naming the first one's pid.
        """
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._lock.acquire()
        try:
            database_url = self.environ.get(DATABASE_VAR) or self._start_postgres()
            nats_url = self.environ.get(NATS_VAR) or self._start_nats()
        except BaseException:
            self.stop()
            raise
        key = self.environ.get(MASTER_KEY_VAR) or master_key(self.data_dir / "master.key")
        return Endpoints(database_url, nats_url, self.data_dir, key)

    def _start_postgres(self) -> str:
        server = EmbeddedPostgres(self.data_dir / "postgres", durable=True)
        url = server.start()  # cleans up after itself when it fails
        self.postgres = server
        return url

    def _start_nats(self) -> str:
        server = EmbeddedNats(self.data_dir / "nats")
        url = server.start()
        self.nats = server
        return url

    def stop(self) -> None:
        """Stop the embedded servers, NATS first (started last)."""
        nats, self.nats = self.nats, None
        postgres, self.postgres = self.postgres, None
        try:
            if nats is not None:
                nats.stop()
        finally:
            if postgres is not None:
                postgres.stop()
            self._lock.release()

    def running_endpoints(self) -> tuple[str | None, str | None]:
        """URLs of the servers ``dev up`` is running now (or configured), for ``dev env``."""
        database_url = (
            self.environ.get(DATABASE_VAR) or EmbeddedPostgres(self.data_dir / "postgres").running_url()
        )
        nats_url = self.environ.get(NATS_VAR) or EmbeddedNats(self.data_dir / "nats").running_url()
        return database_url, nats_url
