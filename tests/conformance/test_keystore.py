"""The key store port, one suite run against each adapter (in memory and PostgreSQL), as the event store's.

Adapter specifics (migrations, rows left in tables, driver errors, several processes over one database)
are tested in tests/integration/test_crypto_postgres.py.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from klachtspoor.crypto import CaseErased, KeyStoreUnavailable, WrappedKey
from klachtspoor.crypto.keystore import KeyStore
from klachtspoor.crypto.memory import InMemoryKeyStore
from klachtspoor.crypto.postgres import PostgresKeyStore

KEY_STORES = ["memory", "postgres"]
TENANT = "jeugdzorg-noord"
AT = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)


@pytest.fixture(params=KEY_STORES)
def keystore_url(request: pytest.FixtureRequest) -> str | None:
    """None for the in-memory store; a new database for PostgreSQL (a synchronous fixture, so only the
    PostgreSQL runs pull in the database)."""
    return None if request.param == "memory" else str(request.getfixturevalue("database_url"))


@pytest.fixture
async def keystore(keystore_url: str | None) -> AsyncIterator[KeyStore]:
    store: KeyStore = (
        InMemoryKeyStore() if keystore_url is None else await PostgresKeyStore.open(keystore_url)
    )
    yield store
    await store.close()


async def test_keys_are_created_once_and_read_back(keystore: KeyStore) -> None:
    assert await keystore.get_tenant_key(TENANT) is None
    tenant_key = WrappedKey("a" * 16, "m" * 16, b"\x01" * 60)
    assert await keystore.create_tenant_key(TENANT, tenant_key) == tenant_key
    assert await keystore.create_tenant_key(TENANT, WrappedKey("b" * 16, "m" * 16, b"\x02")) == tenant_key
    case_key = WrappedKey("c" * 16, tenant_key.key_id, b"\x03" * 60)
    assert await keystore.create_case_key(TENANT, "case-1", case_key) == case_key
    assert await keystore.create_case_key(TENANT, "case-1", WrappedKey("d" * 16, "x", b"\x04")) == case_key
    assert await keystore.get_case_key(TENANT, "case-1") == case_key
    assert await keystore.get_case_key(TENANT, "case-2") is None


async def test_erasure_deletes_the_key_and_keeps_a_tombstone(keystore: KeyStore) -> None:
    case_key = WrappedKey("c" * 16, "t" * 16, b"\x03" * 60)
    await keystore.create_case_key(TENANT, "case-1", case_key)
    erasure = await keystore.delete_case_key(TENANT, "case-1", actor="staff-17", erased_at=AT)
    assert (erasure.key_id, erasure.actor, erasure.erased_at) == (case_key.key_id, "staff-17", AT)
    assert await keystore.get_case_key(TENANT, "case-1") is None
    assert await keystore.get_erasure(TENANT, "case-1") == erasure
    assert await keystore.is_erased(TENANT, "case-1") and not await keystore.is_erased(TENANT, "case-2")
    with pytest.raises(CaseErased, match="case-1"):
        await keystore.create_case_key(TENANT, "case-1", case_key)
    again = await keystore.delete_case_key(TENANT, "case-1", actor="staff-99", erased_at=datetime.now(UTC))
    assert again == erasure


async def test_a_case_without_a_key_is_erased_for_good_and_other_cases_keep_theirs(
    keystore: KeyStore,
) -> None:
    kept = WrappedKey("k" * 16, "t" * 16, b"\x05" * 60)
    await keystore.create_case_key(TENANT, "case-2", kept)
    await keystore.create_case_key("other-tenant", "case-1", kept)
    erasure = await keystore.delete_case_key(TENANT, "case-1", actor="staff-17", erased_at=AT)
    assert (erasure.tenant, erasure.case_id, erasure.key_id) == (TENANT, "case-1", None)
    with pytest.raises(CaseErased, match="case-1"):
        await keystore.create_case_key(TENANT, "case-1", kept)
    assert await keystore.get_case_key(TENANT, "case-2") == kept
    assert await keystore.get_case_key("other-tenant", "case-1") == kept
    assert not await keystore.is_erased("other-tenant", "case-1")


async def test_no_key_survives_an_erasure_racing_with_key_creation(keystore: KeyStore) -> None:
    async def create(case_id: str) -> None:
        with contextlib.suppress(CaseErased):
            await keystore.create_case_key(TENANT, case_id, WrappedKey("c" * 16, "t" * 16, b"\x03" * 60))

    cases = [f"race-{n}" for n in range(20)]
    await asyncio.gather(
        *(create(c) for c in cases),
        *(keystore.delete_case_key(TENANT, c, actor="staff-17", erased_at=AT) for c in cases),
    )
    for case_id in cases:
        assert await keystore.is_erased(TENANT, case_id)
        assert await keystore.get_case_key(TENANT, case_id) is None


async def test_a_closed_store_is_unavailable(keystore: KeyStore) -> None:
    await keystore.close()
    key = WrappedKey("a" * 16, "m" * 16, b"\x01")
    with pytest.raises(KeyStoreUnavailable):
        await keystore.get_tenant_key(TENANT)
    with pytest.raises(KeyStoreUnavailable):
        await keystore.create_tenant_key(TENANT, key)
    with pytest.raises(KeyStoreUnavailable):
        await keystore.get_case_key(TENANT, "case-1")
    with pytest.raises(KeyStoreUnavailable):
        await keystore.create_case_key(TENANT, "case-1", key)
    with pytest.raises(KeyStoreUnavailable):
        await keystore.delete_case_key(TENANT, "case-1", actor="staff-17", erased_at=AT)
    with pytest.raises(KeyStoreUnavailable):
        await keystore.get_erasure(TENANT, "case-1")
