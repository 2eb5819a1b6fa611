"""The key hierarchy at work: finds, creates, unwraps and caches the case keys, and shreds them.

Callers ask for a case key to write with (created on first use, refused once the case is erased) or to
read with (``None`` once the case is erased, so readers show masks instead of failing).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID

from klachtspoor.crypto.aead import CaseKey, MasterKey, TenantKey
from klachtspoor.crypto.cache import KeyCache
from klachtspoor.crypto.errors import CaseErased, CaseKeyMissing, MasterKeyMismatch
from klachtspoor.crypto.keystore import Erasure, KeyStore, WrappedKey
from klachtspoor.settings import Settings

CaseRef = tuple[str, str]
"""(tenant, case id)"""


class Keyring:
    """Envelope encryption over a :class:`KeyStore`: master key → tenant key → case key.

    Unwrapped keys are cached per process (bounded, expiring after ``cache_ttl_seconds``); an erasure
    through this keyring invalidates its cache entry at once, other processes drop theirs on expiry.
    Erasures are final, so they are cached without expiry.
    """

    def __init__(
        self,
        store: KeyStore,
        master_key: MasterKey,
        *,
        cache_size: int = 1024,
        cache_ttl_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store, self._master, self._now = store, master_key, now
        self._tenant_keys: KeyCache[str, TenantKey] = KeyCache(cache_size, cache_ttl_seconds, clock)
        self._case_keys: KeyCache[CaseRef, CaseKey] = KeyCache(cache_size, cache_ttl_seconds, clock)
        self._erased: KeyCache[CaseRef, Erasure] = KeyCache(cache_size, math.inf, clock)

    @classmethod
    def from_settings(cls, store: KeyStore, settings: Settings) -> Keyring:
        return cls(store, MasterKey.from_base64(settings.master_key_value()))

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
        tenant_key = await self._tenant_key(tenant)
        if stored is None:
            case_key, wrapped = tenant_key.new_case_key(case_id)
            stored = await self.store.create_case_key(tenant, case_id, wrapped)
            if stored.key_id == case_key.key_id:
                self._case_keys.put(ref, case_key)
                return case_key
        return self._remember(ref, tenant_key, stored)

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
            return self._remember(ref, await self._tenant_key(tenant), stored)
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

    def _remember(self, ref: CaseRef, tenant_key: TenantKey, stored: WrappedKey) -> CaseKey:
        case_key = tenant_key.unwrap_case_key(ref[1], stored)
        self._case_keys.put(ref, case_key)
        return case_key

    async def _tenant_key(self, tenant: str) -> TenantKey:
        cached = self._tenant_keys.get(tenant)
        if cached is not None:
            return cached
        stored = await self.store.get_tenant_key(tenant)
        if stored is None:
            fresh, wrapped = self._master.new_tenant_key(tenant)
            stored = await self.store.create_tenant_key(tenant, wrapped)
            if stored.key_id == fresh.key_id:
                self._tenant_keys.put(tenant, fresh)
                return fresh
        if stored.parent_key_id != self._master.key_id:
            raise MasterKeyMismatch(tenant, stored.parent_key_id, self._master.key_id)
        tenant_key = self._master.unwrap_tenant_key(tenant, stored)
        self._tenant_keys.put(tenant, tenant_key)
        return tenant_key
