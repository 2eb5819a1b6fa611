"""Rotation over the in-memory key store: two master keys, two tenant key versions, and what never changes
(the case keys, so every ciphertext stays readable; an erasure)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from klachtspoor.crypto import CaseErased, Keyring, MasterKey, MasterKeyMismatch
from klachtspoor.crypto.errors import MasterKeyCheckFailed
from klachtspoor.crypto.keystore import Rewrap, TenantKeyVersion, WrappedKey
from klachtspoor.crypto.masterkeys import MasterKeys
from klachtspoor.crypto.memory import InMemoryKeyStore
from klachtspoor.crypto.rotation import NoTenantKey, rotate_master, rotate_tenant

NOORD, ZUID = "jeugdzorg-noord", "jeugdzorg-zuid"
NAME = ("complainant", "name")


def new_master() -> tuple[str, MasterKey]:
    text = MasterKey.generate_base64()
    return text, MasterKey.from_base64(text)


async def write(keyring: Keyring, tenant: str, case_id: str) -> str:
    return (await keyring.key_for_writing(tenant, case_id)).encrypt(NAME, f"naam van {case_id}")


async def read(keyring: Keyring, tenant: str, case_id: str, token: str) -> object:
    key = await keyring.key_for_reading(tenant, case_id, "unused")
    return None if key is None else key.decrypt(NAME, token)


class Interrupt(Exception):
    """Stands for a kill of the rotating process."""


class StopAfter:
    """A progress that kills the run after ``count`` case keys."""

    def __init__(self, count: int) -> None:
        self.count, self.done = count, 0

    def start(self, description: str, total: int) -> None:
        self.total = total

    def advance(self, count: int) -> None:
        self.done += count
        if self.done >= self.count:
            raise Interrupt


async def test_keys_under_a_previous_master_key_read_and_new_ones_go_under_the_current() -> None:
    store = InMemoryKeyStore()
    (_, old), (_, new) = new_master(), new_master()
    token = await write(Keyring(store, old), NOORD, "case-1")
    both = Keyring(store, MasterKeys(new, [old]))
    assert await read(both, NOORD, "case-1", token) == "naam van case-1"
    await write(both, ZUID, "case-2")
    assert store.tenant_keys[NOORD].parent_key_id == old.key_id
    assert store.tenant_keys[ZUID].parent_key_id == new.key_id
    assert await both.check_master_keys() == {old.key_id: 1, new.key_id: 1}
    with pytest.raises(MasterKeyMismatch, match=old.key_id):
        await read(Keyring(store, new), NOORD, "case-1", token)


async def test_the_start_check_names_an_unconfigured_or_wrong_master_key_never_a_key() -> None:
    store = InMemoryKeyStore()
    (old_text, old), (new_text, new) = new_master(), new_master()
    await write(Keyring(store, old), NOORD, "case-1")
    with pytest.raises(MasterKeyCheckFailed) as missing:
        await Keyring(store, new).check_master_keys()
    assert old.key_id in str(missing.value) and new.key_id in str(missing.value)
    assert missing.value.configured_master_key_ids == (new.key_id,)
    assert old_text not in str(missing.value) and new_text not in str(missing.value)
    # A row that was altered (or swapped in from elsewhere) names its master key but does not open.
    stored = store.tenant_keys[NOORD]
    store.tenant_key_versions[NOORD][1] = type(stored)(stored.key_id, stored.parent_key_id, b"\x00" * 60)
    with pytest.raises(MasterKeyCheckFailed, match=f"does not unwrap under master key {old.key_id}"):
        await Keyring(store, MasterKeys(new, [old])).check_master_keys()


async def test_rotating_the_master_key_rewraps_every_version_then_the_previous_key_can_go() -> None:
    store = InMemoryKeyStore()
    (_, old), (_, new) = new_master(), new_master()
    before = Keyring(store, old)
    tokens = {(t, c): await write(before, t, c) for t in (NOORD, ZUID) for c in ("case-1", "case-2")}
    await rotate_tenant(before, NOORD)  # two versions of noord's key, both under the old master key
    assert [v.key.parent_key_id for v in await store.list_tenant_keys()] == [old.key_id] * 2

    result = await rotate_master(Keyring(store, MasterKeys(new, [old])))
    assert (result.master_key_id, result.rewrapped, result.versions) == (new.key_id, 2, 2)
    assert (await rotate_master(Keyring(store, MasterKeys(new, [old])))).rewrapped == 0
    only_new = Keyring(store, new)
    assert await only_new.check_master_keys() == {new.key_id: 2}
    for (tenant, case_id), token in tokens.items():
        assert await read(only_new, tenant, case_id, token) == f"naam van {case_id}"


async def test_rotating_a_tenant_key_rewraps_the_case_keys_and_retires_the_old_version() -> None:
    store = InMemoryKeyStore()
    _, master = new_master()
    keyring = Keyring(store, master)
    tokens = {c: await write(keyring, NOORD, c) for c in (f"case-{n}" for n in range(7))}
    other = await write(keyring, ZUID, "case-1")
    v1 = store.tenant_keys[NOORD]
    case_key_ids = {c: store.case_keys[(NOORD, c)].key_id for c in tokens}

    result = await rotate_tenant(Keyring(store, master), NOORD, batch=3)
    assert (result.started, result.current_version, result.rewrapped) == (True, 2, 7)
    assert (result.retired, result.kept) == ((1,), ())
    v2 = store.tenant_keys[NOORD]
    assert v2.key_id == result.current_key_id != v1.key_id
    assert [v.version for v in await store.list_tenant_keys() if v.tenant == NOORD] == [2]
    for case_id, token in tokens.items():
        assert store.case_keys[(NOORD, case_id)].parent_key_id == v2.key_id
        assert store.case_keys[(NOORD, case_id)].key_id == case_key_ids[case_id]  # the case key is kept
        assert await read(Keyring(store, master), NOORD, case_id, token) == f"naam van {case_id}"
    assert store.tenant_keys[ZUID].key_id == store.case_keys[(ZUID, "case-1")].parent_key_id
    assert await read(Keyring(store, master), ZUID, "case-1", other) == "naam van case-1"
    await write(Keyring(store, master), NOORD, "case-new")
    assert store.case_keys[(NOORD, "case-new")].parent_key_id == v2.key_id


async def test_a_running_keyring_reads_and_writes_through_the_switch() -> None:
    """A service that cached version 1 as current, and unwrapped keys with it, keeps working while the
    case keys move to version 2 and version 1 is retired."""
    store = InMemoryKeyStore()
    _, master = new_master()
    running = Keyring(store, master, cache_size=2)
    token = await write(running, NOORD, "case-0")
    tokens = {c: await write(running, NOORD, c) for c in ("case-1", "case-2", "case-3")}
    await rotate_tenant(Keyring(store, master), NOORD)
    # The small cache lost case-0's key: its row is now under version 2, which the process never held.
    assert await read(running, NOORD, "case-0", token) == "naam van case-0"
    for case_id, each in tokens.items():
        assert await read(running, NOORD, case_id, each) == f"naam van {case_id}"
    # Its current version (1) was retired: the store refuses a case key under it, the keyring takes v2.
    await write(running, NOORD, "case-new")
    assert store.case_keys[(NOORD, "case-new")].parent_key_id == store.tenant_keys[NOORD].key_id


async def test_an_erased_case_stays_erased_through_both_rotations() -> None:
    store = InMemoryKeyStore()
    (_, old), (_, new) = new_master(), new_master()
    keyring = Keyring(store, old)
    token = await write(keyring, NOORD, "erased")
    await write(keyring, NOORD, "kept")
    await keyring.erase_case(NOORD, "erased", "privacy-officer-3")
    await rotate_tenant(keyring, NOORD)
    both = Keyring(store, MasterKeys(new, [old]))
    await rotate_master(both)
    assert (NOORD, "erased") not in store.case_keys and await store.is_erased(NOORD, "erased")
    assert await read(Keyring(store, new), NOORD, "erased", token) is None
    with pytest.raises(CaseErased):
        await write(Keyring(store, new), NOORD, "erased")


async def test_a_rewrap_listed_before_an_erasure_writes_nothing_for_the_erased_case() -> None:
    store = InMemoryKeyStore()
    _, master = new_master()
    keyring = Keyring(store, master)
    for case_id in ("case-1", "case-2"):
        await write(keyring, NOORD, case_id)

    class ErasingStore(InMemoryKeyStore):
        """Erases case-1 between the listing of a page and its re-wrap, as a privacy officer might."""

        async def rewrap_case_keys(self, tenant: str, rewraps: dict[str, Rewrap]) -> int:
            await self.delete_case_key(NOORD, "case-1", actor="privacy-3", erased_at=datetime.now(UTC))
            return await super().rewrap_case_keys(tenant, rewraps)

    erasing = ErasingStore()
    erasing.tenant_key_versions, erasing.case_keys = store.tenant_key_versions, store.case_keys
    result = await rotate_tenant(Keyring(erasing, master), NOORD)
    assert (result.rewrapped, result.retired) == (1, (1,))
    assert (NOORD, "case-1") not in erasing.case_keys and await erasing.is_erased(NOORD, "case-1")


async def test_an_interrupted_tenant_rotation_is_finished_by_the_next_run_without_a_third_version() -> None:
    store = InMemoryKeyStore()
    _, master = new_master()
    keyring = Keyring(store, master)
    tokens = {c: await write(keyring, NOORD, c) for c in (f"case-{n}" for n in range(10))}
    with pytest.raises(Interrupt):
        await rotate_tenant(keyring, NOORD, batch=2, progress=StopAfter(4))
    versions = [v for v in await store.list_tenant_keys() if v.tenant == NOORD]
    assert [v.version for v in versions] == [1, 2]
    assert await store.count_case_keys_under(NOORD, versions[0].key.key_id) == 6
    for case_id, token in tokens.items():  # halfway, every case reads
        assert await read(Keyring(store, master), NOORD, case_id, token) == f"naam van {case_id}"

    again = await rotate_tenant(Keyring(store, master), NOORD, batch=2)
    assert (again.started, again.current_version, again.rewrapped, again.retired) == (False, 2, 6, (1,))
    for case_id, token in tokens.items():
        assert await read(Keyring(store, master), NOORD, case_id, token) == f"naam van {case_id}"


async def test_a_case_key_written_under_the_old_version_during_the_run_keeps_it_until_run_again() -> None:
    store = InMemoryKeyStore()
    _, master = new_master()
    holding_v1 = Keyring(store, master)
    await write(holding_v1, NOORD, "case-1")

    class WriteMeanwhile(StopAfter):
        async def later(self) -> None:
            await write(holding_v1, NOORD, "a-written-meanwhile")  # before the page's last case id

    progress = WriteMeanwhile(10**6)
    original = store.rewrap_case_keys

    async def rewrap_then_write(tenant: str, rewraps: dict[str, Rewrap]) -> int:
        replaced = await original(tenant, rewraps)
        await progress.later()  # after the only page: a process still holding v1 writes a new case
        return replaced

    store.rewrap_case_keys = rewrap_then_write  # type: ignore[method-assign]
    result = await rotate_tenant(Keyring(store, master), NOORD, progress=progress)
    assert (result.retired, result.kept) == ((), ((1, 1),))
    store.rewrap_case_keys = original  # type: ignore[method-assign]
    again = await rotate_tenant(Keyring(store, master), NOORD)
    assert (again.started, again.rewrapped, again.retired, again.kept) == (False, 1, (1,), ())


class Interleaving(InMemoryKeyStore):
    """Gives way to the other task at each read, as a database round trip would."""

    async def list_tenant_keys(self) -> list[TenantKeyVersion]:
        await asyncio.sleep(0)
        return await super().list_tenant_keys()

    async def case_keys_under(
        self, tenant: str, tenant_key_id: str, *, after_case_id: str = "", limit: int = 500
    ) -> list[tuple[str, WrappedKey]]:
        await asyncio.sleep(0)
        return await super().case_keys_under(tenant, tenant_key_id, after_case_id=after_case_id, limit=limit)


async def test_two_tenant_rotations_at_once_make_one_new_version() -> None:
    store = Interleaving()
    _, master = new_master()
    keyring = Keyring(store, master)
    for n in range(6):
        await write(keyring, NOORD, f"case-{n}")
    first, second = await asyncio.gather(
        rotate_tenant(Keyring(store, master), NOORD, batch=2),
        rotate_tenant(Keyring(store, master), NOORD, batch=2),
    )
    assert sorted([first.started, second.started]) == [False, True]
    assert first.current_key_id == second.current_key_id
    assert first.rewrapped + second.rewrapped == 6
    assert [v.version for v in await store.list_tenant_keys() if v.tenant == NOORD] == [2]


async def test_a_tenant_without_a_key_has_nothing_to_rotate() -> None:
    _, master = new_master()
    with pytest.raises(NoTenantKey, match=NOORD):
        await rotate_tenant(Keyring(InMemoryKeyStore(), master), NOORD)


def test_master_keys_name_a_bad_previous_key_by_position() -> None:
    text, master = new_master()
    keys = MasterKeys.from_base64(text, [text, MasterKey.generate_base64()])
    assert keys.ids[0] == master.key_id and len(keys.ids) == 2  # the current key once, not as previous
    with pytest.raises(Exception, match="Previous master key 2"):
        MasterKeys.from_base64(text, [MasterKey.generate_base64(), "not base64!"])
