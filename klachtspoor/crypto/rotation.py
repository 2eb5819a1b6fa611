"""Rotating keys while the services run: re-wrap the tenant keys under the current master key, and move a
tenant's case keys to a new tenant key version. What ``klachtspoor keys rotate`` runs.

Only wrappings change. A tenant key keeps its id and bytes when its master key rotates, a case key keeps
its id and bytes when its tenant key rotates, so every ciphertext in the event store still names a key that
opens it: no event is read, rewritten or re-encrypted. Every write is a compare-and-set on the old wrapping,
so a run that is killed is simply run again (it picks up what is still under an old key), two runs at once
do the work once, and an erased case, which has no key row, is never given one back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from klachtspoor.crypto.aead import TenantKey
from klachtspoor.crypto.errors import CryptoError
from klachtspoor.crypto.keyring import Keyring
from klachtspoor.crypto.keystore import Rewrap, TenantKeyVersion


class RotationProgress(Protocol):
    """What a rotation reports while it runs (the CLI's progress bar)."""

    def start(self, description: str, total: int) -> None: ...

    def advance(self, count: int) -> None: ...


class NoProgress:
    def start(self, description: str, total: int) -> None:
        """Nothing to show."""

    def advance(self, count: int) -> None:
        """Nothing to show."""


class NoTenantKey(CryptoError):
    """The tenant has no key yet (none of its cases holds personal data): there is nothing to rotate."""

    def __init__(self, tenant: str) -> None:
        self.tenant = tenant
        super().__init__(f"Tenant {tenant!r} has no tenant key yet; it is made on its first personal field")


@dataclass(frozen=True, slots=True)
class MasterRotation:
    master_key_id: str
    """The current master key, which now wraps every tenant key version."""
    rewrapped: int
    """Tenant key versions this run re-wrapped (another run, or a creation, may have done the rest)."""
    versions: int
    """Tenant key versions stored."""


@dataclass(frozen=True, slots=True)
class TenantRotation:
    tenant: str
    started: bool
    """False when an earlier, unfinished rotation of the tenant was finished instead of starting one."""
    current_key_id: str
    current_version: int
    rewrapped: int
    """Case keys this run re-wrapped under the current version."""
    retired: tuple[int, ...]
    """Older versions deleted now that no case key refers to them."""
    kept: tuple[tuple[int, int], ...]
    """(version, case keys) of older versions still in use: a process that still held the version wrote
    them during the run. Running the command again moves them and retires the version."""


async def rotate_master(keyring: Keyring, progress: RotationProgress | None = None) -> MasterRotation:
    """Re-wrap every tenant key version that a previous master key wraps under the current one."""
    shown = progress or NoProgress()
    current = keyring.masters.current
    versions = await keyring.store.list_tenant_keys()
    pending = [each for each in versions if each.key.parent_key_id != current.key_id]
    shown.start("tenantsleutels → hoofdsleutel " + current.key_id, len(pending))
    rewrapped = 0
    for each in pending:
        rewrapped += await _rewrap_tenant_key(keyring, each)
        shown.advance(1)
    return MasterRotation(current.key_id, rewrapped, len(versions))


async def _rewrap_tenant_key(keyring: Keyring, each: TenantKeyVersion) -> int:
    """1 when this run re-wrapped the version; 0 when it was under the current key already (another run)
    or is gone (retired meanwhile). Loops only while someone else keeps changing the row."""
    stored = each.key
    while stored.parent_key_id != keyring.masters.current.key_id:
        tenant_key = keyring.open_tenant_key(each.tenant, stored)
        rewrap = Rewrap(stored, keyring.masters.current.wrap_tenant_key(tenant_key))
        if await keyring.store.rewrap_tenant_key(each.tenant, rewrap):
            return 1
        again = await keyring.store.get_tenant_key_version(each.tenant, stored.key_id)
        if again is None:
            return 0
        stored = again
    return 0


async def rotate_tenant(
    keyring: Keyring, tenant: str, *, batch: int = 500, progress: RotationProgress | None = None
) -> TenantRotation:
    """Give the tenant a new key version (unless an earlier rotation is unfinished: then finish that),
    re-wrap every case key under it in batches, and retire the older versions nobody refers to."""
    versions = await _versions(keyring, tenant)
    started = False
    if len(versions) == 1:
        fresh, wrapped = keyring.masters.current.new_tenant_key(tenant)
        first = versions[0].key.key_id
        stored = await keyring.store.add_tenant_key_version(tenant, wrapped, after_key_id=first)
        started = stored.key_id == fresh.key_id
        versions = await _versions(keyring, tenant)
    return await _finish(keyring, tenant, versions, started, batch, progress or NoProgress())


async def _versions(keyring: Keyring, tenant: str) -> list[TenantKeyVersion]:
    versions = [each for each in await keyring.store.list_tenant_keys() if each.tenant == tenant]
    if not versions:
        raise NoTenantKey(tenant)
    return versions


async def _finish(
    keyring: Keyring,
    tenant: str,
    versions: list[TenantKeyVersion],
    started: bool,
    batch: int,
    progress: RotationProgress,
) -> TenantRotation:
    store = keyring.store
    current, older = versions[-1], versions[:-1]
    target = keyring.open_tenant_key(tenant, current.key)
    total = sum([await store.count_case_keys_under(tenant, each.key.key_id) for each in older])
    progress.start(f"zaaksleutels van {tenant} → tenantsleutel v{current.version}", total)
    rewrapped, retired, kept = 0, [], []
    for each in older:
        rewrapped += await _rewrap_case_keys(keyring, tenant, each, target, batch, progress)
        if await store.retire_tenant_key(tenant, each.key.key_id):
            retired.append(each.version)
        else:
            kept.append((each.version, await store.count_case_keys_under(tenant, each.key.key_id)))
    return TenantRotation(
        tenant, started, current.key.key_id, current.version, rewrapped, tuple(retired), tuple(kept)
    )


async def _rewrap_case_keys(
    keyring: Keyring,
    tenant: str,
    old: TenantKeyVersion,
    target: TenantKey,
    batch: int,
    progress: RotationProgress,
) -> int:
    """Page through the case keys under ``old`` by case id; each page is one compare-and-set statement."""
    source = keyring.open_tenant_key(tenant, old.key)
    rewrapped, after = 0, ""
    store = keyring.store
    while page := await store.case_keys_under(tenant, old.key.key_id, after_case_id=after, limit=batch):
        rewraps = {
            case_id: Rewrap(wrapped, target.wrap_case_key(source.unwrap_case_key(case_id, wrapped)))
            for case_id, wrapped in page
        }
        rewrapped += await store.rewrap_case_keys(tenant, rewraps)
        progress.advance(len(page))
        after = page[-1][0]
    return rewrapped
