"""The intake process as make dev runs it (``python -m services.intake``), and what stops it starting."""

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
from intake_helpers import REPO, TENANTS_FILE, signal_body

from klachtspoor.auth import TokenVerifier
from klachtspoor.auth.devkeys import mint_token, same_roles
from klachtspoor.crypto import Keyring, MasterKey
from klachtspoor.crypto.postgres import PostgresKeyStore
from klachtspoor.tenants import Tenant, TenantRegistry
from services.intake.adapters.schema import MIGRATIONS, SCHEMA, MigrationChanged, apply_schema
from services.intake.bootstrap import bootstrap
from services.intake.settings import IntakeSettings


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def test_the_process_serves_signals_once_ready(database_url: str, jwt_keys: tuple[str, Path]) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "KLACHTSPOOR_DATABASE_URL": database_url,
        "KLACHTSPOOR_MASTER_KEY": MasterKey.generate_base64(),
        "KLACHTSPOOR_JWT_PUBLIC_KEY_FILE": str(jwt_keys[1]),
        "KLACHTSPOOR_TENANTS_FILE": str(TENANTS_FILE),
        "KLACHTSPOOR_INTAKE_PORT": str(port),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.intake",
        cwd=REPO,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            await _until_ready(client, process)
            token = mint_token(
                jwt_keys[0], subject="account-1", tenant_roles=same_roles(["demo"], ["client"])
            )
            response = await client.post(
                "/v1/tenants/demo/signals",
                json=signal_body(),
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "process-1"},
            )
        assert response.status_code == 201, response.text
        assert response.json()["reference"].startswith("KS-")
    finally:
        process.terminate()
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    log = stderr.decode(errors="replace")
    assert process.returncode in (0, -signal.SIGTERM), log[-2000:]
    assert "Application shutdown complete" in log, "the lifespan closed its connections"


async def _until_ready(client: httpx.AsyncClient, process: asyncio.subprocess.Process) -> None:
    for _ in range(300):
        if process.returncode is not None:
            raise AssertionError(f"intake exited with {process.returncode} before it was ready")
        try:
            if (await client.get("/readyz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError("intake did not become ready within 30 s")


def test_a_tenant_naming_a_policy_stops_the_start_until_policies_exist(jwt_keys: tuple[str, Path]) -> None:
    tenant = Tenant.model_validate(
        {
            "slug": "with-policy",
            "display_name": "Met beleid",
            "kind": "provider",
            "mail_sender_name": "Met beleid",
            "contact": {"website": "https://met-beleid.example"},
            "policy": "met-beleid",
        }
    )
    verifier = TokenVerifier(public_key_pem=jwt_keys[1].read_text())
    with pytest.raises(LookupError, match="with-policy names policy 'met-beleid'"):
        bootstrap(IntakeSettings(), tenants=TenantRegistry([tenant]), verifier=verifier, telemetry=False)


async def test_migrations_apply_once_and_refuse_a_changed_file(database_url: str) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        assert await apply_schema(conn) == [*MIGRATIONS, *SCHEMA.function_files]
        assert await apply_schema(conn) == []
        changed = "UPDATE intake.applied_migrations SET checksum = 'x' WHERE name = $1"
        await conn.execute(changed, MIGRATIONS[-1])
        with pytest.raises(MigrationChanged, match=MIGRATIONS[-1]):
            await apply_schema(conn)
        public = await conn.fetchval(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        )
        assert public == 0
    finally:
        await conn.close()


async def test_a_wrong_master_key_stops_the_process_at_start_and_a_previous_one_lets_it_start(
    database_url: str, jwt_keys: tuple[str, Path], tmp_path: Path
) -> None:
    """The tenant keys are wrapped under master key A. Configured with only B, intake exits at start
    (not at its first read of a case), naming both key ids and neither key; with B and A as a previous
    key (in a file, as a compose secret), it starts."""
    old_text, new_text = MasterKey.generate_base64(), MasterKey.generate_base64()
    old, new = MasterKey.from_base64(old_text), MasterKey.from_base64(new_text)
    store = await PostgresKeyStore.open(database_url)
    try:
        await Keyring(store, old).key_for_writing("demo", "case-1")
    finally:
        await store.close()
    port = _free_port()
    env = {
        **os.environ,
        "KLACHTSPOOR_DATABASE_URL": database_url,
        "KLACHTSPOOR_MASTER_KEY": new_text,
        "KLACHTSPOOR_JWT_PUBLIC_KEY_FILE": str(jwt_keys[1]),
        "KLACHTSPOOR_TENANTS_FILE": str(TENANTS_FILE),
        "KLACHTSPOOR_INTAKE_PORT": str(port),
    }
    env.pop("KLACHTSPOOR_MASTER_KEYS_PREVIOUS", None)
    refused = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.intake", cwd=REPO, env=env, stderr=asyncio.subprocess.PIPE
    )
    _, stderr = await asyncio.wait_for(refused.communicate(), timeout=60)
    log = stderr.decode(errors="replace")
    assert refused.returncode not in (0, None), log[-2000:]
    assert "MasterKeyCheckFailed" in log and old.key_id in log and new.key_id in log, log[-2000:]
    assert old_text not in log and new_text not in log

    previous = tmp_path / "master_keys_previous"
    previous.write_text(old_text + "\n")
    started = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.intake",
        cwd=REPO,
        env={**env, "KLACHTSPOOR_MASTER_KEYS_PREVIOUS_FILE": str(previous)},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            await _until_ready(client, started)
    finally:
        started.terminate()
        await asyncio.wait_for(started.communicate(), timeout=30)
