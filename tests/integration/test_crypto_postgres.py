"""The PostgreSQL key store and crypto-shredding against a real server: what is particular to the adapter
(the port itself is tested per adapter in tests/conformance/test_keystore.py)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import asyncpg
import pytest

from contracts.base import Actor
from contracts.envelope import Envelope
from contracts.events import AnyEvent
from contracts.events.intake import SignalReceived
from contracts.values import Complainant
from contracts.vocabulary import Channel, ComplainantCapacity, Role
from klachtspoor.codec import EventCodec, make_envelope
from klachtspoor.crypto import CaseErased, Keyring, KeyStoreUnavailable, MasterKey, WrappedKey
from klachtspoor.crypto.postgres import KEYSTORE_SCHEMA, PostgresKeyStore, migrate
from klachtspoor.eventstore.port import StreamState
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.eventstore.streams import case_stream

TENANT = "jeugdzorg-noord"
AT = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)


@pytest.fixture
async def keystore(database_url: str) -> AsyncIterator[PostgresKeyStore]:
    store = await PostgresKeyStore.open(database_url)
    yield store
    await store.close()


@pytest.fixture
def master() -> MasterKey:
    return MasterKey.from_base64(MasterKey.generate_base64())


async def test_migrations_apply_once_in_order_into_their_own_schema(database_url: str) -> None:
    first = await PostgresKeyStore.open(database_url)
    second = await PostgresKeyStore.open(database_url)  # a second start applies nothing again
    await first.close()
    await second.close()
    conn = await asyncpg.connect(database_url)
    try:
        applied = [
            r["name"] for r in await conn.fetch("SELECT name FROM keystore.applied_migrations ORDER BY name")
        ]
        tables = {
            r["table_name"]
            for r in await conn.fetch(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'keystore'"
            )
        }
        elsewhere = await conn.fetchval(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        )
    finally:
        await conn.close()
    assert applied == list(KEYSTORE_SCHEMA.files)
    assert tables == {"applied_migrations", "tenant_keys", "case_keys", "erasures"}
    assert elsewhere == 0


async def test_a_key_store_migrated_by_the_earlier_runner_keeps_its_keys(database_url: str) -> None:
    """Versions before the shared runner recorded files 001 to 005 in ``keystore.migrations`` (002)."""
    conn = await asyncpg.connect(database_url)
    try:
        for name in KEYSTORE_SCHEMA.files[:5]:
            await conn.execute(KEYSTORE_SCHEMA.read(name))
        checksums = [
            (name, hashlib.sha256(KEYSTORE_SCHEMA.read(name).encode()).hexdigest())
            for name in KEYSTORE_SCHEMA.files[:5]
        ]
        await conn.executemany("INSERT INTO keystore.migrations (name, checksum) VALUES ($1, $2)", checksums)
        await conn.execute(
            "INSERT INTO keystore.tenant_keys (tenant, key_id, master_key_id, wrapped) "
            "VALUES ($1, $2, $3, $4)",
            TENANT,
            "a" * 16,
            "m" * 16,
            b"\x01" * 60,
        )
        assert await migrate(conn) == list(KEYSTORE_SCHEMA.files[5:])
        rows = await conn.fetch("SELECT name, checksum FROM keystore.applied_migrations ORDER BY name")
        assert [(r["name"], r["checksum"]) for r in rows][:5] == checksums
        assert [r["name"] for r in rows] == list(KEYSTORE_SCHEMA.files)
        assert await conn.fetchval("SELECT to_regclass('keystore.migrations')") is None
        assert await migrate(conn) == []
    finally:
        await conn.close()
    store = await PostgresKeyStore.open(database_url)
    try:
        assert await store.get_tenant_key(TENANT) == WrappedKey("a" * 16, "m" * 16, b"\x01" * 60)
        # The key from before tenant key versions is the tenant's version 1 (007).
        assert [(v.tenant, v.version) for v in await store.list_tenant_keys()] == [(TENANT, 1)]
    finally:
        await store.close()


async def test_erasure_deletes_the_case_key_row(keystore: PostgresKeyStore, database_url: str) -> None:
    """What erasure means at the port is tested per adapter in tests/conformance/test_keystore.py; here,
    that the PostgreSQL adapter leaves no row of the key behind, however often the case is erased."""
    case_key = WrappedKey("c" * 16, "t" * 16, b"\x03" * 60)
    await keystore.create_tenant_key(TENANT, WrappedKey("t" * 16, "m" * 16, b"\x01" * 60))
    await keystore.create_case_key(TENANT, "case-1", case_key)
    await keystore.delete_case_key(TENANT, "case-1", actor="staff-17", erased_at=AT)
    await keystore.delete_case_key(TENANT, "case-1", actor="staff-99", erased_at=datetime.now(UTC))
    conn = await asyncpg.connect(database_url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM keystore.case_keys") == 0
    finally:
        await conn.close()


async def test_keyring_over_postgres_shreds_across_processes(
    keystore: PostgresKeyStore, database_url: str, master: MasterKey
) -> None:
    writer = Keyring(keystore, master)
    token = (await writer.key_for_writing(TENANT, "case-1")).encrypt(("name",), "Jan de Vries")
    other_store = await PostgresKeyStore.open(database_url)
    try:
        reader = Keyring(other_store, master)
        key = await reader.key_for_reading(TENANT, "case-1", "x")
        assert key is not None and key.decrypt(("name",), token) == "Jan de Vries"
        await writer.erase_case(TENANT, "case-1", "staff-17", at=AT)
        assert await Keyring(other_store, master).key_for_reading(TENANT, "case-1", "x") is None
    finally:
        await other_store.close()


async def test_driver_errors_become_port_errors(database_url: str) -> None:
    store = await PostgresKeyStore.open(database_url)
    await store.close()
    with pytest.raises(KeyStoreUnavailable, match="tenant key"):
        await store.get_tenant_key(TENANT)
    with pytest.raises(KeyStoreUnavailable, match="connect"):
        await PostgresKeyStore.open("postgresql://postgres@127.0.0.1:1/none")


def _signal(name: str) -> SignalReceived:
    return SignalReceived(
        channel=Channel.PHONE,
        received_on=date(2026, 3, 2),
        complainant=Complainant(capacity=ComplainantCapacity.CLIENT, name=name, phone="06-12345678"),
        description=f"{name} voelde zich niet gehoord",
    )


def _envelope(event: AnyEvent, case_id: uuid.UUID) -> Envelope:
    return make_envelope(
        event,
        event_id=uuid.uuid4(),
        tenant=TENANT,
        stream=case_stream(TENANT, str(case_id)),
        case_id=case_id,
        actor=Actor(id="staff-17", role=Role.CARE_WORKER),
        occurred_at=AT,
        correlation_id=uuid.uuid4(),
    )


async def _all_rows_as_text(database_url: str) -> str:
    """Every row of every table of ours, as PostgreSQL prints it: what a database dump would show."""
    conn = await asyncpg.connect(database_url)
    try:
        tables = await conn.fetch(
            "SELECT table_schema, table_name FROM information_schema.tables"
            " WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'"
        )
        assert {t["table_schema"] for t in tables} >= {"eventstore", "keystore"}
        rows = []
        for t in tables:
            query = f'SELECT t::text FROM "{t["table_schema"]}"."{t["table_name"]}" t'
            rows.extend(r[0] for r in await conn.fetch(query))
        return "\n".join(rows)
    finally:
        await conn.close()


async def test_encrypted_events_in_postgres_erase_to_masks(
    database_url: str, keystore: PostgresKeyStore, master: MasterKey
) -> None:
    events = await PostgresEventStore.connect(database_url, notify=False)
    try:
        keyring = Keyring(keystore, master)
        codec = EventCodec(keyring)
        erased, kept = uuid.uuid4(), uuid.uuid4()
        for case_id, name in ((erased, "Jan de Vries"), (kept, "Sanne Bakker")):
            item = _envelope(_signal(name), case_id)
            await events.append(item.stream, [await codec.encode(item)], StreamState.NO_STREAM)

        dump = await _all_rows_as_text(database_url)
        assert "enc:v1:" in dump and "phone" in dump
        assert not any(
            text in dump for text in ("Jan de Vries", "Sanne Bakker", "06-12345678", "niet gehoord")
        )

        [before] = await events.read_stream(case_stream(TENANT, str(erased)))
        assert (await codec.decode(before)).event == _signal("Jan de Vries")

        await keyring.erase_case(TENANT, str(erased), "staff-17", at=AT)
        # A reader in another process, with its own cache, sees the erasure too.
        reader = EventCodec(Keyring(keystore, master))
        for decoder in (codec, reader):
            [after] = [
                await decoder.decode(r) for r in await events.read_stream(case_stream(TENANT, str(erased)))
            ]
            assert isinstance(after.event, SignalReceived)
            complainant = after.event.complainant
            assert (complainant.name, complainant.phone, complainant.email) == (
                "[verwijderd]",
                "[verwijderd]",
                None,
            )
            assert after.event.description == "[verwijderd]" and after.event.channel is Channel.PHONE
            [other] = [
                await decoder.decode(r) for r in await events.read_stream(case_stream(TENANT, str(kept)))
            ]
            assert other.event == _signal("Sanne Bakker")
        with pytest.raises(CaseErased):
            await codec.encode(_envelope(_signal("Jan de Vries"), erased))

        conn = await asyncpg.connect(database_url)
        try:
            tombstone = await conn.fetchrow("SELECT * FROM keystore.erasures")
            remaining = await conn.fetchval(
                "SELECT count(*) FROM keystore.case_keys WHERE case_id = $1", str(erased)
            )
        finally:
            await conn.close()
        assert remaining == 0
        assert (tombstone["case_id"], tombstone["actor"], tombstone["erased_at"]) == (
            str(erased),
            "staff-17",
            AT,
        )
    finally:
        await events.close()
