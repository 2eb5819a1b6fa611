"""``klachtspoor keys`` against PostgreSQL: events written under the old keys read back after both
rotations, an erased case stays masked, and a re-wrap killed halfway is finished by the next run."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import asyncpg
import pytest

from contracts.base import Actor
from contracts.envelope import Envelope
from contracts.events.intake import SignalReceived
from contracts.values import Complainant
from contracts.vocabulary import Channel, ComplainantCapacity, Role
from klachtspoor.codec import EventCodec, make_envelope
from klachtspoor.crypto import Keyring, MasterKey
from klachtspoor.crypto.postgres import PostgresKeyStore
from klachtspoor.eventstore.port import StreamState
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.settings import Settings
from tests.cli import REPO, run_cli

NOORD, ZUID = "jeugdzorg-noord", "jeugdzorg-zuid"
AT = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
KLACHTSPOOR = Path(sys.executable).parent / "klachtspoor"


def _signal(name: str) -> SignalReceived:
    return SignalReceived(
        channel=Channel.PHONE,
        received_on=date(2026, 3, 2),
        complainant=Complainant(capacity=ComplainantCapacity.CLIENT, name=name, phone="06-12345678"),
        description=f"{name} voelde zich niet gehoord",
    )


def _envelope(tenant: str, case_id: uuid.UUID, name: str) -> Envelope:
    return make_envelope(
        _signal(name),
        event_id=uuid.uuid4(),
        tenant=tenant,
        stream=case_stream(tenant, str(case_id)),
        case_id=case_id,
        actor=Actor(id="staff-17", role=Role.CARE_WORKER),
        occurred_at=AT,
        correlation_id=uuid.uuid4(),
    )


@pytest.fixture
async def keystore(database_url: str) -> AsyncIterator[PostgresKeyStore]:
    store = await PostgresKeyStore.open(database_url)
    yield store
    await store.close()


async def _names(codec: EventCodec, events: PostgresEventStore, tenant: str, case_id: uuid.UUID) -> str:
    [stored] = await events.read_stream(case_stream(tenant, str(case_id)))
    event = (await codec.decode(stored)).event
    assert isinstance(event, SignalReceived)
    return str(event.complainant.name)


async def test_every_event_reads_back_after_both_rotations_and_an_erased_case_stays_masked(
    database_url: str, keystore: PostgresKeyStore
) -> None:
    old_text, new_text = MasterKey.generate_base64(), MasterKey.generate_base64()
    old, new = MasterKey.from_base64(old_text), MasterKey.from_base64(new_text)
    events = await PostgresEventStore.connect(database_url, notify=False)
    try:
        codec = EventCodec(Keyring(keystore, old))
        cases = {(t, uuid.uuid4()): f"Persoon {t} {n}" for t in (NOORD, ZUID) for n in range(5)}
        for (tenant, case_id), name in cases.items():
            item = _envelope(tenant, case_id, name)
            await events.append(item.stream, [await codec.encode(item)], StreamState.NO_STREAM)
        erased = next(case_id for tenant, case_id in cases if tenant == NOORD)
        await codec.keyring.erase_case(NOORD, str(erased), "privacy-officer-3", at=AT)

        running = Keyring(keystore, old)  # a service that holds version 1 as current through the rotation
        await running.key_for_writing(NOORD, uuid.uuid4())  # a fifth case key of noord (one was erased)
        before = Settings(database_url=database_url, master_key=old_text)
        bar = {"FORCE_COLOR": "1"}
        rotated = await run_cli(before, "keys", "rotate", "tenant", NOORD, "--batch", "2", env=bar)
        assert rotated.exit_code == 0, rotated.output + rotated.stderr
        assert "v2" in rotated.stdout and "5 zaaksleutel(s) opnieuw verpakt" in rotated.stdout
        assert "Buiten gebruik: v1" in rotated.stdout
        late = uuid.uuid4()  # version 1 was retired: the store refuses it, the service takes version 2
        await running.key_for_writing(NOORD, late)
        current = await keystore.get_tenant_key(NOORD)
        late_key = await keystore.get_case_key(NOORD, str(late))
        assert current is not None and late_key is not None and late_key.parent_key_id == current.key_id
        assert f"zaaksleutels van {NOORD}" in rotated.stderr and "5/5" in rotated.stderr  # the progress bar

        after = Settings(database_url=database_url, master_key=new_text)
        refused = await run_cli(after, "keys", "rotate", "master")
        assert refused.exit_code == 1 and old.key_id in refused.stderr and new.key_id in refused.stderr
        previous = {"KLACHTSPOOR_MASTER_KEYS_PREVIOUS": old_text, "FORCE_COLOR": "1"}
        master = await run_cli(after, "keys", "rotate", "master", env=previous)
        assert master.exit_code == 0, master.output + master.stderr
        done = f"2 tenantsleutel(s) opnieuw verpakt; alle 2 staan onder hoofdsleutel {new.key_id}"
        assert done in master.stdout
        assert f"tenantsleutels → hoofdsleutel {new.key_id}" in master.stderr and "2/2" in master.stderr
        again = await run_cli(after, "keys", "rotate", "master", env=previous)
        assert "0 tenantsleutel(s) opnieuw verpakt" in again.stdout

        # The previous key is out of the settings: a fresh process, as after a restart.
        check = await run_cli(after, "keys", "check")
        assert check.exit_code == 0 and f"{new.key_id} (huidig): 2 tenantsleutel(s)" in check.stdout
        status = await run_cli(after, "keys", "status")
        for tenant, version, under in ((NOORD, 2, 6), (ZUID, 1, 5)):
            row = rf"{tenant}\s*│ v{version}\s*│ [0-9a-f]{{16}}\s*│ {new.key_id} \(huidig\)\s*│ {under} "
            assert re.search(row, status.stdout), status.stdout
        reader = EventCodec(Keyring(keystore, new))
        for (tenant, case_id), name in cases.items():
            shown = await _names(reader, events, tenant, case_id)
            assert shown == ("[verwijderd]" if case_id == erased else name)
        assert await keystore.get_case_key(NOORD, str(erased)) is None
        assert await keystore.is_erased(NOORD, str(erased))
        assert (await run_cli(before, "keys", "check")).exit_code == 1  # the old key alone opens nothing now
    finally:
        await events.close()


async def _waiting_lock(conn: asyncpg.Connection) -> bool:
    """Whether a backend on this test's database waits for a lock: the re-wrap, blocked at the held row."""
    waiting = await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock')"
    )
    return bool(waiting)


async def test_a_rewrap_killed_halfway_is_finished_by_the_next_run(
    database_url: str, keystore: PostgresKeyStore
) -> None:
    text = MasterKey.generate_base64()
    keyring = Keyring(keystore, MasterKey.from_base64(text))
    case_ids = sorted(f"case-{n:03d}" for n in range(40))
    tokens = {c: (await keyring.key_for_writing(NOORD, c)).encrypt(("name",), c) for c in case_ids}
    v1 = await keystore.get_tenant_key(NOORD)
    assert v1 is not None

    # The test holds the row of the 21st case: the run re-wraps four batches of five, then waits at it.
    holder = await asyncpg.connect(database_url)
    watcher = await asyncpg.connect(database_url)
    held = holder.transaction()
    await held.start()
    await holder.execute(
        "SELECT 1 FROM keystore.case_keys WHERE tenant = $1 AND case_id = $2 FOR UPDATE", NOORD, case_ids[20]
    )
    env = {
        **os.environ,
        "KLACHTSPOOR_DATABASE_URL": database_url,
        "KLACHTSPOOR_MASTER_KEY": text,
        "KLACHTSPOOR_EVENTSTORE_URL": "",
    }
    process = await asyncio.create_subprocess_exec(
        str(KLACHTSPOOR),
        "keys",
        "rotate",
        "tenant",
        NOORD,
        "--batch",
        "5",
        cwd=REPO,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        for _ in range(600):
            if await _waiting_lock(watcher) or process.returncode is not None:
                break
            await asyncio.sleep(0.05)
        assert process.returncode is None and await _waiting_lock(watcher), "the run never reached the row"
        process.send_signal(signal.SIGKILL)
        assert await process.wait() == -signal.SIGKILL
    finally:
        await held.rollback()
        await holder.close()
    try:
        versions = [v for v in await keystore.list_tenant_keys() if v.tenant == NOORD]
        assert [v.version for v in versions] == [1, 2]
        assert await keystore.count_case_keys_under(NOORD, v1.key_id) == 20
        assert await keystore.count_case_keys_under(NOORD, versions[1].key.key_id) == 20
        for case_id, token in tokens.items():  # halfway, every case reads, whichever version wraps it
            key = await Keyring(keystore, MasterKey.from_base64(text)).key_for_reading(NOORD, case_id, "-")
            assert key is not None and key.decrypt(("name",), token) == case_id

        settings = Settings(database_url=database_url, master_key=text)
        rerun = await run_cli(settings, "keys", "rotate", "tenant", NOORD)
        assert rerun.exit_code == 0, rerun.output + rerun.stderr
        assert "Onafgemaakte rotatie afgemaakt" in rerun.stdout and "20 zaaksleutel(s)" in rerun.stdout
        assert [v.version for v in await keystore.list_tenant_keys() if v.tenant == NOORD] == [2]
        for case_id, token in tokens.items():
            key = await Keyring(keystore, MasterKey.from_base64(text)).key_for_reading(NOORD, case_id, "-")
            assert key is not None and key.decrypt(("name",), token) == case_id
    finally:
        await watcher.close()
