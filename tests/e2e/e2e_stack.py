"""The whole stack as separate processes, started the way ``make dev`` starts it, for end-to-end tests.

The child processes come from the same list ``dev up`` uses (``child_processes``), with the environment
``Endpoints.environment()`` gives, pointed at a database and a NATS server of the test's own, free ports,
a fresh JWT key pair and mail directory, and an OTLP receiver in the test process. Notify runs under a
supervisor of its own, so a test can kill and restart it without touching the others.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import httpx
from otlp_sink import OtlpSink

from klachtspoor.auth.devkeys import mint_token, same_roles
from klachtspoor_devtools.devstack.logfiles import ProcessLogs, accepts
from klachtspoor_devtools.devstack.stack import (
    DATA_DIR_VAR,
    DATABASE_VAR,
    MASTER_KEY_VAR,
    NATS_VAR,
    SERVICES,
    SMTP_PORT_VAR,
    DevStack,
    child_processes,
    klachtspoor_command,
)
from klachtspoor_devtools.devstack.supervisor import ProcessSpec, Supervisor
from tests.notify_paused import paused_notify

T = TypeVar("T")
TENANT = "demo"
ROLES = ("care_worker", "complaints_officer")
NOTIFY_ACK_WAIT_SECONDS = "5"
"""The one setting that differs from ``make dev`` (60 s): a message notify held when it was killed comes
back after this, not after a minute."""


def telemetry_environment(endpoint: str) -> dict[str, str]:
    """Standard OTEL variables: export every span over OTLP/HTTP to ``endpoint``, in small, quick batches."""
    return {
        "OTEL_TRACES_EXPORTER": "otlp",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": endpoint,
        "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/protobuf",
        "OTEL_BSP_SCHEDULE_DELAY": "200",
        "OTEL_BSP_EXPORT_TIMEOUT": "5000",
        "OTEL_TRACES_SAMPLER": "always_on",
    }


@dataclass
class Stack:
    env: dict[str, str]
    database_url: str
    mail_dir: Path
    private_key: str
    otlp: OtlpSink
    logs: ProcessLogs
    others: Supervisor
    notify: Supervisor
    _tokens: dict[tuple[str, ...], str] = field(default_factory=dict)

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.env[f'KLACHTSPOOR_{service.upper()}_PORT']}"

    def token(self, roles: tuple[str, ...] = ROLES) -> str:
        """Minted once per role set: loading the RSA key costs tens of milliseconds, every time."""
        if roles not in self._tokens:
            self._tokens[roles] = mint_token(
                self.private_key, subject="e2e-user", tenant_roles=same_roles([TENANT], roles)
            )
        return self._tokens[roles]

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token()}"}

    def check_alive(self) -> None:
        """Fail at once, naming the process, when a child died (instead of waiting for a deadline)."""
        for supervisor in (self.others, self.notify):
            ended = supervisor.exited()
            if ended is not None:
                raise AssertionError(f"{ended.name} exited with code {ended.returncode}")

    async def start_notify(self, *, paused_after_handover: Path | None = None) -> None:
        """Start notify (again) with the stack's environment; wait until it is ready. With
        ``paused_after_handover`` it is the test-only ``tests.notify_paused``, which writes that file and
        pauses after each SMTP handover (see there)."""
        spec = _notify_spec(self.env)
        if paused_after_handover is not None:
            argv, extra_env = paused_notify(paused_after_handover)
            spec = spec.model_copy(update={"argv": tuple(argv), "env": {**spec.env, **extra_env}})
        self.notify = Supervisor([spec], write=self.logs.write)
        self.notify.start()
        await wait_ready(self, ["notify"])

    def kill_notify(self) -> int:
        """SIGKILL notify's process group; returns its exit code once it is gone."""
        pid = self.notify.pids["notify"]
        os.killpg(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while (ended := self.notify.exited()) is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"notify (pid {pid}) still runs 30 s after SIGKILL")
            time.sleep(0.05)
        self.notify.stop()
        return ended.returncode


SESSION_LIMITS = {
    "KLACHTSPOOR_PUBLIC_FILING_PER_ADDRESS": "1000/hour",
    "KLACHTSPOOR_DOSSIER_ATTEMPTS_PER_ADDRESS": "1000/hour",
}


def stack_environment(
    root: Path, *, database_url: str, nats_url: str, master_key: str, ports: Mapping[str, int]
) -> dict[str, str]:
    """What ``dev up`` gives its children, built by ``dev up``'s own code (:class:`DevStack` with the servers
    configured, so it starts none): data directory ``root``, its JWT key pair under ``root/jwt``, the
    repository's tenants and policies; plus a short JetStream ack wait for notify, and per-address limits
    of the public way in that every test of a session together stays under (they all come from 127.0.0.1;
    the limits themselves are tested in-process, and the per-code lock keeps its default)."""
    environ = {
        DATABASE_VAR: database_url,
        NATS_VAR: nats_url,
        MASTER_KEY_VAR: master_key,
        DATA_DIR_VAR: str(root),
        **{f"KLACHTSPOOR_{name.upper()}_PORT": str(port) for name, port in ports.items()},
    }
    dev = DevStack(root, environ)
    try:
        endpoints = dev.start()
    finally:
        dev.stop()
    extra = {"KLACHTSPOOR_NOTIFY_ACK_WAIT": NOTIFY_ACK_WAIT_SECONDS, **SESSION_LIMITS}
    return {**endpoints.environment(), **extra}


def split_specs(env: dict[str, str]) -> tuple[list[ProcessSpec], ProcessSpec]:
    """``dev up``'s children: all but notify (in order), and notify on its own."""
    specs = child_processes(klachtspoor_command(), env)
    names = [spec.name for spec in specs]
    assert "notify" in names and set(SERVICES) <= set(names), f"unexpected dev stack children: {names}"
    return [spec for spec in specs if spec.name != "notify"], _notify_spec(env)


def _notify_spec(env: dict[str, str]) -> ProcessSpec:
    return next(spec for spec in child_processes(klachtspoor_command(), env) if spec.name == "notify")


async def wait_ready(stack: Stack, services: list[str], within: float = 120.0) -> None:
    """Every named service answers /readyz with 200 (and the SMTP sink accepts connections)."""
    waiting = set(services)
    async with httpx.AsyncClient(timeout=2.0) as client:

        async def ready(name: str) -> bool:
            try:
                return (await client.get(f"{stack.url(name)}/readyz")).status_code == 200
            except httpx.TransportError:
                return False

        async def all_ready() -> bool:
            nonlocal waiting
            answers = await asyncio.gather(*(ready(name) for name in sorted(waiting)))
            waiting = {name for name, ok in zip(sorted(waiting), answers, strict=True) if not ok}
            return not waiting and await asyncio.to_thread(accepts, int(stack.env[SMTP_PORT_VAR]))

        await eventually(all_ready, stack, within=within, what=lambda: f"readiness of {sorted(waiting)}")


async def eventually(
    probe: Callable[[], Awaitable[T | None]],
    stack: Stack,
    *,
    within: float,
    what: str | Callable[[], str],
    interval: float = 0.2,
) -> T:
    """Poll ``probe`` until it returns something truthy; fail when a child dies or after ``within`` s.

    The deadline only catches a hung system: nothing asserts how fast anything was."""
    deadline = time.monotonic() + within
    while True:
        stack.check_alive()
        result = await probe()
        if result:
            return result
        if time.monotonic() > deadline:
            described = what() if callable(what) else what
            raise AssertionError(f"Gave up after {within:.0f} s waiting for {described}")
        await asyncio.sleep(interval)
