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
from klachtspoor.crypto.errors import StaleTenantKey
from klachtspoor.crypto.keystore import KeyStore, Rewrap
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


TENANT_KEY = WrappedKey("t" * 16, "m" * 16, b"\x01" * 60)
"""The tenant key most tests wrap their case keys under: a case key is only created under a stored one."""


@pytest.fixture
async def keystore(keystore_url: str | None) -> AsyncIterator[KeyStore]:
    store: KeyStore = (
        InMemoryKeyStore() if keystore_url is None else await PostgresKeyStore.open(keystore_url)
    )
    yield store
    await store.close()


@pytest.fixture
async def with_tenant_keys(keystore: KeyStore) -> None:
    """TENANT_KEY as the tenant key of TENANT and of ``other-tenant``."""
    await keystore.create_tenant_key(TENANT, TENANT_KEY)
    await keystore.create_tenant_key("other-tenant", TENANT_KEY)


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


@pytest.mark.usefixtures("with_tenant_keys")
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


@pytest.mark.usefixtures("with_tenant_keys")
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


@pytest.mark.usefixtures("with_tenant_keys")
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


V2 = WrappedKey("u" * 16, "m" * 16, b"\x02" * 60)
"""A second version of TENANT's key."""


def case_key(n: int, parent: WrappedKey = TENANT_KEY) -> WrappedKey:
    return WrappedKey(f"{n:016x}", parent.key_id, bytes([n % 256]) * 60)


@pytest.mark.usefixtures("with_tenant_keys")
async def test_a_rotation_adds_one_version_after_the_current_one(keystore: KeyStore) -> None:
    assert await keystore.add_tenant_key_version(TENANT, V2, after_key_id=TENANT_KEY.key_id) == V2
    stale = WrappedKey("w" * 16, "m" * 16, b"\x03" * 60)
    assert await keystore.add_tenant_key_version(TENANT, stale, after_key_id=TENANT_KEY.key_id) == V2
    assert await keystore.get_tenant_key(TENANT) == V2
    assert await keystore.get_tenant_key_version(TENANT, TENANT_KEY.key_id) == TENANT_KEY
    assert await keystore.get_tenant_key_version(TENANT, V2.key_id) == V2
    assert await keystore.get_tenant_key_version(TENANT, stale.key_id) is None
    assert await keystore.get_tenant_key_version("other-tenant", V2.key_id) is None
    listed = [(v.tenant, v.version, v.key) for v in await keystore.list_tenant_keys()]
    assert listed == [
        ("jeugdzorg-noord", 1, TENANT_KEY),
        ("jeugdzorg-noord", 2, V2),
        ("other-tenant", 1, TENANT_KEY),
    ]
    # A tenant's first key is created, never added: creating again keeps the current version.
    assert await keystore.create_tenant_key(TENANT, stale) == V2


@pytest.mark.usefixtures("with_tenant_keys")
async def test_concurrent_rotations_agree_on_one_new_version(keystore: KeyStore) -> None:
    candidates = [WrappedKey(f"{n:016x}", "m" * 16, bytes([n]) * 60) for n in range(6)]
    stored = await asyncio.gather(
        *(keystore.add_tenant_key_version(TENANT, c, after_key_id=TENANT_KEY.key_id) for c in candidates)
    )
    assert len(set(stored)) == 1 and stored[0] in candidates
    assert [v.version for v in await keystore.list_tenant_keys() if v.tenant == TENANT] == [1, 2]


@pytest.mark.usefixtures("with_tenant_keys")
async def test_a_case_key_is_only_created_under_a_stored_tenant_key(keystore: KeyStore) -> None:
    with pytest.raises(StaleTenantKey, match="x" * 16):
        await keystore.create_case_key(TENANT, "case-1", WrappedKey("c" * 16, "x" * 16, b"\x03" * 60))
    assert await keystore.get_case_key(TENANT, "case-1") is None
    assert await keystore.create_case_key(TENANT, "case-1", case_key(1)) == case_key(1)


@pytest.mark.usefixtures("with_tenant_keys")
async def test_a_tenant_key_is_rewrapped_only_while_its_old_wrapping_is_stored(keystore: KeyStore) -> None:
    under_new_master = WrappedKey(TENANT_KEY.key_id, "n" * 16, b"\x09" * 60)
    assert await keystore.rewrap_tenant_key(TENANT, Rewrap(TENANT_KEY, under_new_master))
    assert not await keystore.rewrap_tenant_key(TENANT, Rewrap(TENANT_KEY, under_new_master))
    assert await keystore.get_tenant_key(TENANT) == under_new_master
    assert await keystore.get_tenant_key("other-tenant") == TENANT_KEY
    with pytest.raises(ValueError, match="keeps the key"):
        Rewrap(TENANT_KEY, V2)


@pytest.mark.usefixtures("with_tenant_keys")
async def test_case_keys_are_paged_per_version_and_rewrapped_compare_and_set(keystore: KeyStore) -> None:
    for n in range(7):
        await keystore.create_case_key(TENANT, f"case-{n}", case_key(n))
    await keystore.create_case_key("other-tenant", "case-0", case_key(0))
    await keystore.add_tenant_key_version(TENANT, V2, after_key_id=TENANT_KEY.key_id)
    assert await keystore.count_case_keys_under(TENANT, TENANT_KEY.key_id) == 7
    first = await keystore.case_keys_under(TENANT, TENANT_KEY.key_id, limit=3)
    assert first == [(f"case-{n}", case_key(n)) for n in range(3)]
    rest = await keystore.case_keys_under(TENANT, TENANT_KEY.key_id, after_case_id="case-2", limit=10)
    assert [case_id for case_id, _ in rest] == [f"case-{n}" for n in range(3, 7)]

    moved = {case_id: Rewrap(key, case_key(int(case_id[-1]), V2)) for case_id, key in first}
    moved["case-3"] = Rewrap(WrappedKey(case_key(3).key_id, "z" * 16, b"\x00"), case_key(3, V2))  # stale
    assert await keystore.rewrap_case_keys(TENANT, moved) == 3
    assert await keystore.rewrap_case_keys(TENANT, moved) == 0
    assert await keystore.get_case_key(TENANT, "case-1") == case_key(1, V2)
    assert await keystore.get_case_key(TENANT, "case-3") == case_key(3)
    assert await keystore.count_case_keys_under(TENANT, TENANT_KEY.key_id) == 4
    assert await keystore.count_case_keys_under(TENANT, V2.key_id) == 3
    assert await keystore.get_case_key("other-tenant", "case-0") == case_key(0)
    assert await keystore.rewrap_case_keys(TENANT, {}) == 0


@pytest.mark.usefixtures("with_tenant_keys")
async def test_a_rewrap_never_brings_back_an_erased_case_key(keystore: KeyStore) -> None:
    await keystore.create_case_key(TENANT, "case-1", case_key(1))
    await keystore.add_tenant_key_version(TENANT, V2, after_key_id=TENANT_KEY.key_id)
    (listed,) = await keystore.case_keys_under(TENANT, TENANT_KEY.key_id)
    await keystore.delete_case_key(TENANT, "case-1", actor="staff-17", erased_at=AT)
    assert await keystore.rewrap_case_keys(TENANT, {"case-1": Rewrap(listed[1], case_key(1, V2))}) == 0
    assert await keystore.get_case_key(TENANT, "case-1") is None
    assert await keystore.is_erased(TENANT, "case-1")


@pytest.mark.usefixtures("with_tenant_keys")
async def test_an_old_version_is_retired_only_when_no_case_key_refers_to_it(keystore: KeyStore) -> None:
    await keystore.create_case_key(TENANT, "case-1", case_key(1))
    assert not await keystore.retire_tenant_key(TENANT, TENANT_KEY.key_id)  # the current version
    await keystore.add_tenant_key_version(TENANT, V2, after_key_id=TENANT_KEY.key_id)
    assert not await keystore.retire_tenant_key(TENANT, TENANT_KEY.key_id)  # case-1 refers to it
    await keystore.rewrap_case_keys(TENANT, {"case-1": Rewrap(case_key(1), case_key(1, V2))})
    assert not await keystore.retire_tenant_key(TENANT, V2.key_id)
    assert await keystore.retire_tenant_key(TENANT, TENANT_KEY.key_id)
    assert not await keystore.retire_tenant_key(TENANT, TENANT_KEY.key_id)
    assert [v.version for v in await keystore.list_tenant_keys() if v.tenant == TENANT] == [2]
    assert await keystore.get_tenant_key_version(TENANT, TENANT_KEY.key_id) is None
    assert await keystore.get_tenant_key_version("other-tenant", TENANT_KEY.key_id) == TENANT_KEY
    with pytest.raises(StaleTenantKey):
        await keystore.create_case_key(TENANT, "case-2", case_key(2))


@pytest.mark.usefixtures("with_tenant_keys")
async def test_retiring_a_version_and_creating_under_it_exclude_each_other(keystore: KeyStore) -> None:
    """A process that still holds version 1 as current creates case keys while a rotation retires it:
    every key that is created names a stored version."""
    await keystore.add_tenant_key_version(TENANT, V2, after_key_id=TENANT_KEY.key_id)

    async def create(n: int) -> None:
        with contextlib.suppress(StaleTenantKey):
            await keystore.create_case_key(TENANT, f"late-{n}", case_key(n))

    results = await asyncio.gather(
        *(create(n) for n in range(10)),
        keystore.retire_tenant_key(TENANT, TENANT_KEY.key_id),
        *(create(n) for n in range(10, 20)),
    )
    retired = results[10]
    created = await keystore.count_case_keys_under(TENANT, TENANT_KEY.key_id)
    stored = await keystore.get_tenant_key_version(TENANT, TENANT_KEY.key_id)
    assert (retired, stored is None) in {(True, True), (False, False)}
    assert created == 0 if retired else created > 0


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
    for call in (
        keystore.get_tenant_key_version(TENANT, key.key_id),
        keystore.list_tenant_keys(),
        keystore.add_tenant_key_version(TENANT, key, after_key_id=key.key_id),
        keystore.rewrap_tenant_key(TENANT, Rewrap(key, key)),
        keystore.retire_tenant_key(TENANT, key.key_id),
        keystore.count_case_keys_under(TENANT, key.key_id),
        keystore.case_keys_under(TENANT, key.key_id),
        keystore.rewrap_case_keys(TENANT, {"case-1": Rewrap(key, key)}),
    ):
        with pytest.raises(KeyStoreUnavailable):
            await call
