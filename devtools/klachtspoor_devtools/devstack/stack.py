"""What ``klachtspoor dev up`` runs: the servers (embedded or configured), migrations, the master key,
and the one list of child processes.

Configured servers win: KLACHTSPOOR_DATABASE_URL / KLACHTSPOOR_NATS_URL skip the embedded ones.
"""

from __future__ import annotations

import asyncio
import base64
import os
import secrets
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from klachtspoor.auth.devkeys import ensure_dev_keys
from klachtspoor_devtools.devstack.nats import EmbeddedNats
from klachtspoor_devtools.devstack.postgres import EmbeddedPostgres
from klachtspoor_devtools.devstack.process import OwnerLock
from klachtspoor_devtools.devstack.supervisor import ProcessSpec

DATABASE_VAR = "KLACHTSPOOR_DATABASE_URL"
NATS_VAR = "KLACHTSPOOR_NATS_URL"
MASTER_KEY_VAR = "KLACHTSPOOR_MASTER_KEY"
DATA_DIR_VAR = "KLACHTSPOOR_DATA_DIR"
SMTP_HOST_VAR = "KLACHTSPOOR_SMTP_HOST"
SMTP_PORT_VAR = "KLACHTSPOOR_SMTP_PORT"
SMTP_SINK_VAR = "KLACHTSPOOR_DEV_SMTP_SINK"
SMTP_TLS_VAR = "KLACHTSPOOR_SMTP_TLS"
MAIL_DIR_VAR = "KLACHTSPOOR_MAIL_DIR"
LETTERS_DIR_VAR = "KLACHTSPOOR_LETTERS_DIR"
JWT_KEY_VAR = "KLACHTSPOOR_JWT_PUBLIC_KEY_FILE"
TENANTS_VAR = "KLACHTSPOOR_TENANTS_FILE"
POLICIES_VAR = "KLACHTSPOOR_POLICIES_DIR"
DASHBOARD_SIGNIN_VAR = "KLACHTSPOOR_DASHBOARD_DEV_SIGNIN"
DOSSIER_URL_VAR = "KLACHTSPOOR_PUBLIC_DOSSIER_URL"
REPOSITORY = Path(__file__).resolve().parents[3]


SERVICES = ("intake", "escalation", "notify", "reporting")
DEFAULT_PORTS = {"intake": 8001, "escalation": 8002, "notify": 8003, "reporting": 8004, "smtp": 8025}


def child_processes(command: Sequence[str], env: Mapping[str, str]) -> list[ProcessSpec]:
    """Every child process of the dev stack, in start order (stopped in reverse): the relay, the SMTP
    sink (unless an SMTP server is configured) and the four services."""
    python = sys.executable
    specs = [ProcessSpec(name="relay", argv=(*command, "relay", "run"), env=dict(env))]
    if env.get(SMTP_SINK_VAR) == "1":
        port, mail_dir = env[SMTP_PORT_VAR], env[MAIL_DIR_VAR]
        sink = (python, "-m", "klachtspoor_devtools.devstack.smtp", "--port", port, "--dir", mail_dir)
        specs.append(ProcessSpec(name="smtp", argv=sink, env=dict(env)))
    for name in SERVICES:
        specs.append(ProcessSpec(name=name, argv=(python, "-m", f"services.{name}"), env=dict(env)))
    return specs


def klachtspoor_command() -> list[str]:
    """How to run our own CLI from a child process: the console script beside this interpreter."""
    script = Path(sys.executable).parent / "klachtspoor"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from klachtspoor.cli.main import app; app()"]


def port_settings(environ: Mapping[str, str]) -> dict[str, str]:
    """Service and SMTP ports: the configured ones, else the defaults (8001-8004, SMTP 8025)."""
    return {
        f"KLACHTSPOOR_{name.upper()}_PORT": environ.get(f"KLACHTSPOOR_{name.upper()}_PORT", str(port))
        for name, port in DEFAULT_PORTS.items()
    }


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


def run_migrations(database_url: str) -> None:
    """Apply the event store schema before any process starts."""
    from klachtspoor.eventstore.postgres import migrate

    asyncio.run(migrate(database_url))


def data_dir_of(root: Path, environ: Mapping[str, str]) -> Path:
    return (root / environ.get(DATA_DIR_VAR, ".dev")).resolve()


@dataclass(frozen=True)
class Endpoints:
    """Where the stack runs, and the environment its processes get."""

    database_url: str
    nats_url: str
    data_dir: Path
    master_key: str
    jwt_public_key: Path
    ports: Mapping[str, str]
    smtp_host: str | None
    """A configured SMTP server; None runs the dev sink, which writes mails to ``mail_dir``."""
    tenants_file: Path
    policies_dir: Path

    @property
    def mail_dir(self) -> Path:
        return self.data_dir / "mail"

    @property
    def letters_dir(self) -> Path:
        """The print queue of letters on paper (``klachtspoor letters list``)."""
        return self.data_dir / "letters"

    def environment(self) -> dict[str, str]:
        env = {
            DATABASE_VAR: self.database_url,
            NATS_VAR: self.nats_url,
            MASTER_KEY_VAR: self.master_key,
            DATA_DIR_VAR: str(self.data_dir),
            JWT_KEY_VAR: str(self.jwt_public_key),
            MAIL_DIR_VAR: str(self.mail_dir),
            LETTERS_DIR_VAR: str(self.letters_dir),
            TENANTS_VAR: str(self.tenants_file),
            POLICIES_VAR: str(self.policies_dir),
            DASHBOARD_SIGNIN_VAR: "true",  # the dashboard takes a pasted dev token (never in production)
            # The receipt of the public form links to the dossier, which escalation serves.
            DOSSIER_URL_VAR: f"http://127.0.0.1:{self.ports['KLACHTSPOOR_ESCALATION_PORT']}/dossier",
            **self.ports,
        }
        if self.smtp_host is None:
            env[SMTP_SINK_VAR] = "1"
            env[SMTP_TLS_VAR] = "none"  # the sink speaks plain SMTP; notify requires TLS by default
        else:
            env[SMTP_HOST_VAR] = self.smtp_host
        return env


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
        _, public_key = ensure_dev_keys(self.data_dir / "jwt")
        jwt_key = Path(self.environ.get(JWT_KEY_VAR) or public_key)
        smtp_host = self.environ.get(SMTP_HOST_VAR)
        tenants = Path(self.environ.get(TENANTS_VAR) or REPOSITORY / "config" / "tenants.yaml").resolve()
        policies = Path(self.environ.get(POLICIES_VAR) or REPOSITORY / "policies").resolve()
        ports = port_settings(self.environ)
        return Endpoints(
            database_url, nats_url, self.data_dir, key, jwt_key, ports, smtp_host, tenants, policies
        )

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
