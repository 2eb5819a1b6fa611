"""``python -m services.reporting`` as a real process: serves until SIGTERM; ``rebuild`` empties the read
model so the next start replays every event."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import asyncpg
import httpx
import pytest
from reporting_helpers import CaseWriter, Tokens

from contracts.vocabulary import Category
from services.reporting.__main__ import main

REPO = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(database_url: str, public_key: Path, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "KLACHTSPOOR_DATABASE_URL": database_url,
        "KLACHTSPOOR_JWT_PUBLIC_KEY_FILE": str(public_key),
        "KLACHTSPOOR_REPORTING_PORT": str(port),
        "KLACHTSPOOR_HTTP_HOST": "127.0.0.1",
        "OTEL_TRACES_EXPORTER": "none",
    }


async def run_module(env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.reporting",
        *args,
        cwd=REPO,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def wait_for_cases(client: httpx.AsyncClient, path: str, headers: dict[str, str], total: int) -> None:
    """Poll the running process until its projection shows ``total`` cases (it has no other signal)."""
    for _ in range(300):
        try:
            response = await client.get(path, headers=headers)
        except httpx.TransportError:
            response = None
        if response is not None and response.status_code == 200 and response.json()["total"] == total:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"The process did not show {total} cases at {path} within 30 s")


async def test_the_process_serves_stops_on_sigterm_and_rebuilds(
    writer: CaseWriter, database_url: str, jwt_keys: tuple[Path, Path], tokens: Tokens
) -> None:
    await writer.open_case("t1", Category.TREATMENT)
    await writer.open_case("t1", Category.OTHER)
    port = free_port()
    env = environment(database_url, jwt_keys[1], port)
    headers = {"Authorization": f"Bearer {tokens(('t1',), ('auditor',))}"}

    process = await run_module(env)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            await wait_for_cases(client, "/v1/tenants/t1/cases", headers, 2)
            assert (await client.get("/readyz")).status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    # uvicorn shuts down gracefully, then re-raises the signal so a supervisor sees why it ended.
    assert process.returncode in (0, -signal.SIGTERM), stderr.decode()
    assert "Application shutdown complete" in stderr.decode()
    assert '"message": "Subscriber stopped"' in stderr.decode()

    rebuild = await run_module(env, "rebuild")
    _, stderr = await asyncio.wait_for(rebuild.communicate(), timeout=30)
    assert rebuild.returncode == 0, stderr.decode()
    conn = await asyncpg.connect(database_url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM reporting.cases") == 0
        assert (
            await conn.fetchval(
                "SELECT count(*) FROM subscriptions.checkpoints WHERE subscriber = 'reporting'"
            )
            == 0
        )
    finally:
        await conn.close()


def test_an_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bogus"]) == 2
    usage = "usage: python -m services.reporting [rebuild [statistics|contacts]]"
    assert capsys.readouterr().err.strip() == usage
