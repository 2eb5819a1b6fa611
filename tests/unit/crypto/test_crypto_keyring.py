"""The keyring over the in-memory key store: key creation, caching, erasure and its limits."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest

from klachtspoor.crypto import CaseErased, CaseKeyMissing, Keyring, MasterKey, MasterKeyMismatch
from klachtspoor.crypto.cache import KeyCache
from klachtspoor.crypto.memory import InMemoryKeyStore

TENANT = "jeugdzorg-noord"
AT = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)


class FakeClock:
    """A monotonic clock the test moves by hand, so expiry is tested without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def keyring(store: InMemoryKeyStore, master: MasterKey, clock: FakeClock) -> Keyring:
    """Overrides the shared fixture: a small cache on a clock the test controls."""
    return Keyring(store, master, cache_size=8, cache_ttl_seconds=60.0, clock=clock)


async def test_case_key_is_created_once_and_stored_wrapped(keyring: Keyring, store: InMemoryKeyStore) -> None:
    key = await keyring.key_for_writing(TENANT, "case-1")
    again = await keyring.key_for_writing(TENANT, "case-1")
    assert again is key
    stored = store.case_keys[(TENANT, "case-1")]
    assert stored.key_id == key.key_id
    assert stored.parent_key_id == store.tenant_keys[TENANT].key_id
    assert len(stored.wrapped) == 12 + 32 + 16  # nonce, key, tag: wrapped, never the raw key


async def test_another_process_reads_with_the_same_key(
    keyring: Keyring, store: InMemoryKeyStore, master: MasterKey
) -> None:
    token = (await keyring.key_for_writing(TENANT, "case-1")).encrypt(("name",), "Jan de Vries")
    elsewhere = Keyring(store, master)
    key = await elsewhere.key_for_reading(TENANT, "case-1", "ignored")
    assert key is not None and key.decrypt(("name",), token) == "Jan de Vries"


async def test_concurrent_first_writers_agree_on_one_key(store: InMemoryKeyStore, master: MasterKey) -> None:
    keyrings = [Keyring(store, master) for _ in range(5)]
    keys = await asyncio.gather(*(k.key_for_writing(TENANT, "case-1") for k in keyrings))
    assert len({k.key_id for k in keys}) == 1
    token = keys[0].encrypt(("name",), "Jan")
    assert all(k.decrypt(("name",), token) == "Jan" for k in keys)


async def test_erasure_shreds_the_key_and_records_a_tombstone(
    keyring: Keyring, store: InMemoryKeyStore
) -> None:
    key = await keyring.key_for_writing(TENANT, "case-1")
    erasure = await keyring.erase_case(TENANT, "case-1", "staff-17", at=AT)
    assert (TENANT, "case-1") not in store.case_keys
    assert (erasure.tenant, erasure.case_id, erasure.actor, erasure.erased_at) == (
        TENANT,
        "case-1",
        "staff-17",
        AT,
    )
    assert erasure.key_id == key.key_id
    assert await keyring.key_for_reading(TENANT, "case-1", key.key_id) is None
    assert await keyring.is_erased(TENANT, "case-1")


async def test_writing_for_an_erased_case_is_refused(
    keyring: Keyring, store: InMemoryKeyStore, master: MasterKey
) -> None:
    await keyring.key_for_writing(TENANT, "case-1")
    await keyring.erase_case(TENANT, "case-1", "staff-17", at=AT)
    with pytest.raises(CaseErased, match="case-1") as caught:
        await keyring.key_for_writing(TENANT, "case-1")
    assert caught.value.erased_at == AT
    with pytest.raises(CaseErased):  # also from a process that never saw the case
        await Keyring(store, master).key_for_writing(TENANT, "case-1")


async def test_erasing_twice_keeps_the_first_record(keyring: Keyring) -> None:
    await keyring.key_for_writing(TENANT, "case-1")
    first = await keyring.erase_case(TENANT, "case-1", "staff-17", at=AT)
    second = await keyring.erase_case(TENANT, "case-1", "staff-99", at=datetime(2027, 1, 1, tzinfo=UTC))
    assert second == first


async def test_a_case_without_key_can_be_erased_and_stays_closed(keyring: Keyring) -> None:
    erasure = await keyring.erase_case(TENANT, "never-written", "staff-17", at=AT)
    assert erasure.key_id is None
    with pytest.raises(CaseErased):
        await keyring.key_for_writing(TENANT, "never-written")


async def test_erasure_leaves_other_cases_and_tenants_alone(keyring: Keyring) -> None:
    kept = await keyring.key_for_writing(TENANT, "case-2")
    other_tenant = await keyring.key_for_writing("jeugdzorg-zuid", "case-1")
    await keyring.key_for_writing(TENANT, "case-1")
    await keyring.erase_case(TENANT, "case-1", "staff-17", at=AT)
    assert await keyring.key_for_reading(TENANT, "case-2", kept.key_id) is kept
    assert await keyring.key_for_reading("jeugdzorg-zuid", "case-1", other_tenant.key_id) is other_tenant


async def test_erasure_elsewhere_reaches_this_process_when_the_cache_expires(
    keyring: Keyring, store: InMemoryKeyStore, master: MasterKey, clock: FakeClock
) -> None:
    key = await keyring.key_for_writing(TENANT, "case-1")
    await Keyring(store, master).erase_case(TENANT, "case-1", "staff-17", at=AT)
    assert await keyring.key_for_reading(TENANT, "case-1", key.key_id) is key  # still cached
    clock.now += 61
    assert await keyring.key_for_reading(TENANT, "case-1", key.key_id) is None
    with pytest.raises(CaseErased):
        await keyring.key_for_writing(TENANT, "case-1")


async def test_lost_key_without_erasure_is_an_error_not_a_mask(
    keyring: Keyring, store: InMemoryKeyStore, master: MasterKey
) -> None:
    key = await keyring.key_for_writing(TENANT, "case-1")
    del store.case_keys[(TENANT, "case-1")]
    fresh = Keyring(store, master)
    with pytest.raises(CaseKeyMissing, match=key.key_id):
        await fresh.key_for_reading(TENANT, "case-1", key.key_id)


async def test_another_master_key_is_named_not_guessed(keyring: Keyring, store: InMemoryKeyStore) -> None:
    await keyring.key_for_writing(TENANT, "case-1")
    other = MasterKey.from_base64(MasterKey.generate_base64())
    with pytest.raises(MasterKeyMismatch, match=other.key_id):
        await Keyring(store, other).key_for_reading(TENANT, "case-1", "x")


def test_key_cache_is_bounded_and_least_recently_used_goes_first() -> None:
    clock = FakeClock()
    cache: KeyCache[str, int] = KeyCache(2, 10.0, clock)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c"), len(cache)) == (1, None, 3, 2)
    clock.now += 10
    assert cache.get("a") is None and len(cache) == 1
    cache.invalidate("c")
    assert cache.get("c") is None


async def test_uuid_and_its_text_name_the_same_case(keyring: Keyring) -> None:
    case_id = uuid.uuid4()
    key = await keyring.key_for_writing(TENANT, case_id)
    assert await keyring.key_for_reading(TENANT, str(case_id), key.key_id) is key
    await keyring.erase_case(TENANT, case_id, "staff-17", at=AT)
    assert await keyring.is_erased(TENANT, str(case_id))
