"""Process-level: notify SIGKILLed after the SMTP handover and before recording the send.

The relay and notify run as their own processes against the test PostgreSQL and NATS; the SMTP sink runs
in the test. The first notify is the test-only entry ``tests.notify_paused``, which pauses right after
the handover; the test kills it there, starts ``python -m services.notify`` instead, and checks: the
mail was handed over twice (the crash window is real), the sink holds one file for its Message-ID, and
the case has exactly one NotificationSent. The second test kills it with several handovers in flight
at once, each waiting to be recorded.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from pathlib import Path

import pytest
import yaml
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError
from notify_helpers import (
    CONFIDANT_ORG,
    outcomes,
    request_notification,
    tenant_entry,
    wait_for,
    wait_for_outcomes,
)

from klachtspoor.cases import CaseRepository
from klachtspoor.relay import STREAM_NAME
from klachtspoor.settings import Settings
from klachtspoor_devtools.devstack.smtp import MailSink
from tests.notify_paused import PAUSE_AFTER_HANDOVER_VAR, paused_notify

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def processes() -> AsyncIterator[list[asyncio.subprocess.Process]]:
    """Children started by the test; whatever still runs at the end is killed."""
    started: list[asyncio.subprocess.Process] = []
    try:
        yield started
    finally:
        for process in started:
            if process.returncode is None:
                process.kill()
                await process.wait()


def notify_env(settings: Settings, smtp_sink: MailSink, tenant: str, tmp_path: Path) -> dict[str, str]:
    """The environment of the relay and the notify processes: this test's database, NATS, tenant, sink."""
    tenants_file = tmp_path / "tenants.yaml"
    entries = [tenant_entry(tenant).model_dump(mode="json"), CONFIDANT_ORG.model_dump(mode="json")]
    tenants_file.write_text(yaml.safe_dump({"tenants": entries}))
    env = {
        **os.environ,
        "KLACHTSPOOR_DATABASE_URL": settings.database_url,
        "KLACHTSPOOR_NATS_URL": settings.nats_url,
        "KLACHTSPOOR_MASTER_KEY": settings.master_key,
        "KLACHTSPOOR_TENANTS_FILE": str(tenants_file),
        "KLACHTSPOOR_SMTP_PORT": str(smtp_sink.port),
        "KLACHTSPOOR_SMTP_TLS": "none",
        "KLACHTSPOOR_NOTIFY_DURABLE": f"notify-{tenant}",
        "KLACHTSPOOR_NOTIFY_TENANT_FILTER": tenant,
        "KLACHTSPOOR_NOTIFY_ACK_WAIT": "2",
    }
    env.pop(PAUSE_AFTER_HANDOVER_VAR, None)
    return env


RELAY_COMMAND = [str(Path(sys.executable).with_name("klachtspoor")), "relay", "run"]
NOTIFY_COMMAND = [sys.executable, "-m", "services.notify"]


async def killed_paused(
    env: dict[str, str],
    marker: Path,
    children: list[asyncio.subprocess.Process],
    handed_over: Callable[[], Awaitable[bool]],
    what: str,
) -> None:
    """Start the relay and the paused notify, wait until ``handed_over``, then SIGKILL notify there."""
    children.append(await asyncio.create_subprocess_exec(*RELAY_COMMAND, env=env))
    paused_command, pause_env = paused_notify(marker)
    paused_env = {**env, **pause_env, "KLACHTSPOOR_NOTIFY_PORT": str(free_port())}
    first = await asyncio.create_subprocess_exec(*paused_command, env=paused_env)
    children.append(first)
    await wait_for(handed_over, within=60, what=f"notify to hand {what} over and pause")
    first.send_signal(signal.SIGKILL)
    assert await first.wait() == -signal.SIGKILL


async def started_notify(
    env: dict[str, str], children: list[asyncio.subprocess.Process]
) -> asyncio.subprocess.Process:
    """``python -m services.notify`` as it runs in production, on a port of its own."""
    process = await asyncio.create_subprocess_exec(
        *NOTIFY_COMMAND, env={**env, "KLACHTSPOOR_NOTIFY_PORT": str(free_port())}
    )
    children.append(process)
    return process


async def stop_gracefully(process: asyncio.subprocess.Process) -> None:
    process.send_signal(signal.SIGTERM)
    # uvicorn shuts down gracefully, then re-raises the signal it caught
    assert await asyncio.wait_for(process.wait(), 30) in (0, -signal.SIGTERM)


async def test_notify_killed_between_handover_and_record_sends_one_mail_and_records_one_send(
    settings: Settings,
    repository: CaseRepository,
    smtp_sink: MailSink,
    js: JetStreamContext,
    tenant: str,
    tmp_path: Path,
) -> None:
    env = notify_env(settings, smtp_sink, tenant, tmp_path)
    marker = tmp_path / "handed-over"
    requested = await request_notification(repository, tenant)

    try:
        async with processes() as children:

            async def handed_over() -> bool:
                return marker.exists() and bool(smtp_sink.mails())

            await killed_paused(env, marker, children, handed_over, "the mail")
            assert await outcomes(repository, requested.stream) == []  # killed before recording
            second = await started_notify(env, children)
            recorded = await wait_for_outcomes(repository, requested.stream, "NotificationSent", within=60)
            await stop_gracefully(second)
    finally:
        with suppress(NotFoundError):
            await js.delete_consumer(STREAM_NAME, env["KLACHTSPOOR_NOTIFY_DURABLE"])

    assert marker.read_text() == str(requested.notification_id)
    assert smtp_sink.deliveries() == {requested.message_id: 2}
    assert len(smtp_sink.mails()) == 1
    assert [e.type for e in recorded] == ["NotificationSent"]
    assert [e.type for e in await outcomes(repository, requested.stream)] == ["NotificationSent"]


async def test_notify_killed_with_several_handovers_in_flight_records_each_send_once(
    settings: Settings,
    repository: CaseRepository,
    smtp_sink: MailSink,
    js: JetStreamContext,
    tenant: str,
    tmp_path: Path,
) -> None:
    """Its workers hand over several mails at once; killed while all of them wait to be recorded, the
    restarted notify records each exactly once and hands each over again with its own Message-ID."""
    env = notify_env(settings, smtp_sink, tenant, tmp_path)
    marker = tmp_path / "handed-over"
    requested = [await request_notification(repository, tenant) for _ in range(5)]

    try:
        async with processes() as children:

            async def all_handed_over() -> bool:
                return len(smtp_sink.mails()) == len(requested)

            await killed_paused(env, marker, children, all_handed_over, "all mails")
            for each in requested:
                assert await outcomes(repository, each.stream) == []  # all paused before recording
            second = await started_notify(env, children)
            for each in requested:
                await wait_for_outcomes(repository, each.stream, "NotificationSent", within=60)
            await stop_gracefully(second)
    finally:
        with suppress(NotFoundError):
            await js.delete_consumer(STREAM_NAME, env["KLACHTSPOOR_NOTIFY_DURABLE"])

    assert smtp_sink.deliveries() == {each.message_id: 2 for each in requested}
    assert len(smtp_sink.mails()) == len(requested)
    for each in requested:
        assert [e.type for e in await outcomes(repository, each.stream)] == ["NotificationSent"]
