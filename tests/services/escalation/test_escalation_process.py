"""``python -m services.escalation`` as a process: it starts, becomes ready, serves its AsyncAPI document,
reacts to a relayed signal and stops cleanly on SIGTERM. It gets a NATS server of its own, so its durable
``escalation`` consumer never meets another run's."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from escalation_helpers import open_case, wait_for_events
from faststream.nats import NatsBroker

from klachtspoor.cases import CaseRepository
from klachtspoor.relay import Relay
from klachtspoor.settings import Settings

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def own_nats(tmp_path: Path) -> Iterator[str]:
    from klachtspoor_devtools.devstack.nats import EmbeddedNats

    server = EmbeddedNats(tmp_path / "nats")
    yield server.start()
    server.stop()


@pytest.fixture
async def own_relay(settings: Settings, own_nats: str, repository: CaseRepository) -> AsyncIterator[Relay]:
    broker = NatsBroker(own_nats)
    await broker.connect()
    relay = Relay(repository.store, settings.database_url, broker)
    task = asyncio.create_task(relay.run())
    yield relay
    relay.stop()
    await asyncio.wait_for(task, 30)
    await broker.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def wait_ready(base: str, process: asyncio.subprocess.Process, within: float = 30) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    async with httpx.AsyncClient(base_url=base) as http:
        while loop.time() < deadline and process.returncode is None:
            try:
                if (await http.get("/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass  # not listening yet
            await asyncio.sleep(0.1)
    raise AssertionError(
        f"escalation did not become ready within {within} s (exit code {process.returncode})"
    )


async def start_escalation(
    settings: Settings, nats: str, stderr: int = asyncio.subprocess.DEVNULL, *, ack_wait: float = 30.0
) -> tuple[asyncio.subprocess.Process, str]:
    """``python -m services.escalation`` on this test's database and ``nats``, ready; and its base URL."""
    port = free_port()
    env = {
        "KLACHTSPOOR_ESCALATION_ACK_WAIT": str(ack_wait),
        **os.environ,
        "KLACHTSPOOR_DATABASE_URL": settings.database_url,
        "KLACHTSPOOR_NATS_URL": nats,
        "KLACHTSPOOR_MASTER_KEY": settings.master_key,
        "KLACHTSPOOR_ESCALATION_PORT": str(port),
        "OTEL_TRACES_EXPORTER": "none",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.escalation", cwd=REPO, env=env, stderr=stderr
    )
    base = f"http://127.0.0.1:{port}"
    await wait_ready(base, process)
    return process, base


async def test_the_process_serves_reacts_and_stops_on_sigterm(
    settings: Settings, own_nats: str, own_relay: Relay, repository: CaseRepository, tenant: str
) -> None:
    process, base = await start_escalation(settings, own_nats, asyncio.subprocess.PIPE)
    try:
        async with httpx.AsyncClient(base_url=base) as http:
            document = (await http.get("/asyncapi.json")).json()
        assert any(c["address"] == "klachtspoor.*.SignalReceived" for c in document["channels"].values())

        case = await open_case(repository, tenant)
        loaded = await wait_for_events(repository, case.stream, 3)
        assert [e.type for e in loaded.events][2:] == ["NotificationRequested"]
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    log = stderr.decode(errors="replace")
    # uvicorn shuts down gracefully and then re-raises the signal it caught, so -SIGTERM is a clean exit.
    assert process.returncode in (0, -signal.SIGTERM), log[-3000:]
    assert "Application shutdown complete." in log
