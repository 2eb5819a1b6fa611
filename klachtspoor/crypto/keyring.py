"""The key hierarchy at work: finds, creates, unwraps and caches the case keys, and shreds them.

Callers ask for a case key to write with (created on first use, refused once the case is erased) or to
read with (``None`` once the case is erased, so readers show masks instead of failing).

Keys rotate underneath without a restart: a tenant key row names the master key that wraps it (current or
previous, :class:`MasterKeys`) and a case key row names the tenant key version that wraps it, so each is
unwrapped by the key it names, whichever version the row is at. New case keys go under the tenant's
current version. :meth:`Keyring.check_master_keys` runs at every start (``docs/privacy.md``).
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID

from klachtspoor.crypto.aead import CaseKey, MasterKey, TenantKey
from klachtspoor.crypto.cache import KeyCache
from klachtspoor.crypto.errors import (
    CaseErased,
    CaseKeyMissing,
    MasterKeyCheckFailed,
    MasterKeyMismatch,
    StaleTenantKey,
    TenantKeyVersionMissing,
    UnwrapFailed,
)
from klachtspoor.crypto.keystore import Erasure, KeyStore, WrappedKey
from klachtspoor.crypto.masterkeys import MasterKeys
from klachtspoor.settings import Settings

CaseRef = tuple[str, str]
"""(tenant, case id)"""
TenantKeyRef = tuple[str, str]
"""(tenant, tenant key id)"""
_SHOWN_PROBLEMS = 5
"""How many unopenable tenant keys the start check names; the rest are counted."""


class Keyring:
    """Envelope encryption over a :class:`KeyStore`: master key → tenant key → case key.

    Unwrapped keys are cached per process (bounded, expiring after ``cache_ttl_seconds``); an erasure
    through this keyring invalidates its cache entry at once, other processes drop theirs on expiry.
    Erasures are final, so they are cached without expiry.
    """

    def __init__(
        self,
        store: KeyStore,
        master_key: MasterKey | MasterKeys,
        *,
        cache_size: int = 1024,
        cache_ttl_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store, self._now = store, now
        self.masters = master_key if isinstance(master_key, MasterKeys) else MasterKeys(master_key)
        # The current version per tenant (wraps new case keys; expires, so a rotation elsewhere reaches
        # this process), and every version by id (unwraps a case key row at either version).
        self._current: KeyCache[str, TenantKey] = KeyCache(cache_size, cache_ttl_seconds, clock)
        self._versions: KeyCache[TenantKeyRef, TenantKey] = KeyCache(cache_size, cache_ttl_seconds, clock)
        self._case_keys: KeyCache[CaseRef, CaseKey] = KeyCache(cache_size, cache_ttl_seconds, clock)
        self._erased: KeyCache[CaseRef, Erasure] = KeyCache(cache_size, math.inf, clock)

    @classmethod
    def from_settings(cls, store: KeyStore, settings: Settings) -> Keyring:
        return cls(store, settings.master_keys())

    async def check_master_keys(self) -> dict[str, int]:
        """At start, before anything is served: every stored tenant key version must be wrapped by a
        configured master key (current or previous) and actually unwrap under it. Returns how many
        versions each master key id wraps; raises :class:`MasterKeyCheckFailed` naming the key ids."""
        wrapped_by: Counter[str] = Counter()
        problems: list[str] = []
        for each in await self.store.list_tenant_keys():
            name = f"tenant key {each.key.key_id} of {each.tenant!r} (version {each.version})"
            master = self.masters.by_id(each.key.parent_key_id)
            if master is None:
                problems.append(f"{name} is wrapped by master key {each.key.parent_key_id}, not configured")
                continue
            try:
                master.unwrap_tenant_key(each.tenant, each.key)
            except UnwrapFailed:
                problems.append(f"{name} does not unwrap under master key {master.key_id}")
                continue
            wrapped_by[master.key_id] += 1
        if problems:
            shown = problems[:_SHOWN_PROBLEMS]
            if len(problems) > len(shown):
                shown.append(f"and {len(problems) - len(shown)} more")
            raise MasterKeyCheckFailed(tuple(shown), self.masters.ids)
        return dict(wrapped_by)

    async def key_for_writing(self, tenant: str, case_id: str | UUID) -> CaseKey:
        """The case's key, created on first use. Raises :class:`CaseErased` once the case is erased."""
        case_id = str(case_id)
        ref = (tenant, case_id)
        erasure = self._erased.get(ref)
        if erasure is not None:
            raise CaseErased(tenant, case_id, erasure.erased_at)
        cached = self._case_keys.get(ref)
        if cached is not None:
            return cached
        stored = await self.store.get_case_key(tenant, case_id)
        if stored is None:
            erasure = await self.store.get_erasure(tenant, case_id)
            if erasure is not None:
                self._erased.put(ref, erasure)
                raise CaseErased(tenant, case_id, erasure.erased_at)
            return await self._create(ref)
        return await self._remember(ref, stored)

    async def _create(self, ref: CaseRef) -> CaseKey:
        """A new case key under the tenant's current version; once more under a fresh look at the current
        version when the one this process held was retired by a rotation meanwhile."""
        tenant, case_id = ref
        try:
            case_key, wrapped = (await self._current_tenant_key(tenant)).new_case_key(case_id)
            stored = await self.store.create_case_key(tenant, case_id, wrapped)
        except StaleTenantKey:
            self._current.invalidate(tenant)
            case_key, wrapped = (await self._current_tenant_key(tenant)).new_case_key(case_id)
            stored = await self.store.create_case_key(tenant, case_id, wrapped)
        if stored.key_id == case_key.key_id:
            self._case_keys.put(ref, case_key)
            return case_key
        return await self._remember(ref, stored)

    async def key_for_reading(self, tenant: str, case_id: str | UUID, key_id: str) -> CaseKey | None:
        """The case's key, or None when the case was erased.

        ``key_id`` is the key a ciphertext names; it only serves the error when the key is lost without
        an erasure record (:class:`CaseKeyMissing`), which is a fault, not a privacy request.
        """
        case_id = str(case_id)
        ref = (tenant, case_id)
        if self._erased.get(ref) is not None:
            return None
        cached = self._case_keys.get(ref)
        if cached is not None:
            return cached
        stored = await self.store.get_case_key(tenant, case_id)
        if stored is not None:
            return await self._remember(ref, stored)
        erasure = await self.store.get_erasure(tenant, case_id)
        if erasure is None:
            raise CaseKeyMissing(tenant, case_id, key_id)
        self._erased.put(ref, erasure)
        return None

    async def erase_case(
        self, tenant: str, case_id: str | UUID, actor: str, *, at: datetime | None = None
    ) -> Erasure:
        """Shred the case key and record who erased the case and when; erasing twice is harmless.

        Afterwards the case's personal fields read as their masks and nothing personal can be written
        for it. ``actor`` identifies a staff member or process, never a person's name.
        """
        case_id = str(case_id)
        ref = (tenant, case_id)
        erasure = await self.store.delete_case_key(
            tenant, case_id, actor=actor, erased_at=at if at is not None else self._now()
        )
        self._case_keys.invalidate(ref)
        self._erased.put(ref, erasure)
        return erasure

    async def is_erased(self, tenant: str, case_id: str | UUID) -> bool:
        case_id = str(case_id)
        if self._erased.get((tenant, case_id)) is not None:
            return True
        return await self.store.is_erased(tenant, case_id)

    async def _remember(self, ref: CaseRef, stored: WrappedKey) -> CaseKey:
        """Unwrap a case key row by the tenant key version it names. If that version is gone, a rotation
        re-wrapped the row and retired the version since the row was read: read the row once more."""
        tenant, case_id = ref
        tenant_key = await self._tenant_key_version(tenant, stored.parent_key_id)
        if tenant_key is None:
            again = await self.store.get_case_key(tenant, case_id)
            if again is not None and again.parent_key_id != stored.parent_key_id:
                stored, tenant_key = again, await self._tenant_key_version(tenant, again.parent_key_id)
            if tenant_key is None:
                raise TenantKeyVersionMissing(tenant, case_id, stored.parent_key_id)
        case_key = tenant_key.unwrap_case_key(case_id, stored)
        self._case_keys.put(ref, case_key)
        return case_key

    async def _current_tenant_key(self, tenant: str) -> TenantKey:
        cached = self._current.get(tenant)
        if cached is not None:
            return cached
        stored = await self.store.get_tenant_key(tenant)
        if stored is None:
            fresh, wrapped = self.masters.current.new_tenant_key(tenant)
            stored = await self.store.create_tenant_key(tenant, wrapped)
            tenant_key = fresh if stored.key_id == fresh.key_id else self.open_tenant_key(tenant, stored)
        else:
            tenant_key = self.open_tenant_key(tenant, stored)
        self._current.put(tenant, tenant_key)
        self._versions.put((tenant, tenant_key.key_id), tenant_key)
        return tenant_key

    async def _tenant_key_version(self, tenant: str, key_id: str) -> TenantKey | None:
        cached = self._versions.get((tenant, key_id))
        if cached is not None:
            return cached
        stored = await self.store.get_tenant_key_version(tenant, key_id)
        if stored is None:
            return None
        tenant_key = self.open_tenant_key(tenant, stored)
        self._versions.put((tenant, key_id), tenant_key)
        return tenant_key

    def open_tenant_key(self, tenant: str, stored: WrappedKey) -> TenantKey:
        """Unwrap a tenant key row with the master key it names, current or previous."""
        master = self.masters.by_id(stored.parent_key_id)
        if master is None:
            raise MasterKeyMismatch(tenant, stored.parent_key_id, self.masters.current.key_id)
        return master.unwrap_tenant_key(tenant, stored)
