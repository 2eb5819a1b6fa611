"""In-memory key store: for pure unit tests only. Same semantics as the PostgreSQL adapter."""

from __future__ import annotations

from datetime import datetime

from klachtspoor.crypto.errors import CaseErased, KeyStoreUnavailable, StaleTenantKey
from klachtspoor.crypto.keystore import Erasure, KeyStore, Rewrap, TenantKeyVersion, WrappedKey


class InMemoryKeyStore(KeyStore):
    def __init__(self) -> None:
        self.tenant_key_versions: dict[str, dict[int, WrappedKey]] = {}
        self.case_keys: dict[tuple[str, str], WrappedKey] = {}
        self.erasures: dict[tuple[str, str], Erasure] = {}
        self._closed = False

    @property
    def tenant_keys(self) -> dict[str, WrappedKey]:
        """Each tenant's current key, for tests that look inside."""
        return {tenant: versions[max(versions)] for tenant, versions in self.tenant_key_versions.items()}

    async def get_tenant_key(self, tenant: str) -> WrappedKey | None:
        self._check_open()
        versions = self.tenant_key_versions.get(tenant)
        return versions[max(versions)] if versions else None

    async def get_tenant_key_version(self, tenant: str, key_id: str) -> WrappedKey | None:
        self._check_open()
        found = (key for key in self.tenant_key_versions.get(tenant, {}).values() if key.key_id == key_id)
        return next(found, None)

    async def list_tenant_keys(self) -> list[TenantKeyVersion]:
        self._check_open()
        return [
            TenantKeyVersion(tenant, version, versions[version])
            for tenant, versions in sorted(self.tenant_key_versions.items())
            for version in sorted(versions)
        ]

    async def create_tenant_key(self, tenant: str, key: WrappedKey) -> WrappedKey:
        self._check_open()
        self.tenant_key_versions.setdefault(tenant, {1: key})
        current = await self.get_tenant_key(tenant)
        assert current is not None
        return current

    async def add_tenant_key_version(self, tenant: str, key: WrappedKey, *, after_key_id: str) -> WrappedKey:
        self._check_open()
        versions = self.tenant_key_versions.get(tenant, {})
        if versions and versions[max(versions)].key_id == after_key_id:
            versions[max(versions) + 1] = key
        current = await self.get_tenant_key(tenant)
        if current is None:
            raise StaleTenantKey(tenant, after_key_id)
        return current

    async def rewrap_tenant_key(self, tenant: str, rewrap: Rewrap) -> bool:
        self._check_open()
        versions = self.tenant_key_versions.get(tenant, {})
        for version, stored in versions.items():
            if stored == rewrap.old:
                versions[version] = rewrap.new
                return True
        return False

    async def retire_tenant_key(self, tenant: str, key_id: str) -> bool:
        self._check_open()
        versions = self.tenant_key_versions.get(tenant, {})
        older = [v for v, key in versions.items() if key.key_id == key_id and v != max(versions)]
        in_use = any(t == tenant and key.parent_key_id == key_id for (t, _), key in self.case_keys.items())
        if not older or in_use:
            return False
        del versions[older[0]]
        return True

    async def count_case_keys_under(self, tenant: str, tenant_key_id: str) -> int:
        self._check_open()
        return sum(t == tenant and k.parent_key_id == tenant_key_id for (t, _), k in self.case_keys.items())

    async def case_keys_under(
        self, tenant: str, tenant_key_id: str, *, after_case_id: str = "", limit: int = 500
    ) -> list[tuple[str, WrappedKey]]:
        self._check_open()
        found = sorted(
            (case_id, key)
            for (t, case_id), key in self.case_keys.items()
            if t == tenant and key.parent_key_id == tenant_key_id and case_id > after_case_id
        )
        return found[:limit]

    async def rewrap_case_keys(self, tenant: str, rewraps: dict[str, Rewrap]) -> int:
        self._check_open()
        replaced = 0
        for case_id, rewrap in rewraps.items():
            if self.case_keys.get((tenant, case_id)) == rewrap.old:
                self.case_keys[(tenant, case_id)] = rewrap.new
                replaced += 1
        return replaced

    async def get_case_key(self, tenant: str, case_id: str) -> WrappedKey | None:
        self._check_open()
        return self.case_keys.get((tenant, case_id))

    async def create_case_key(self, tenant: str, case_id: str, key: WrappedKey) -> WrappedKey:
        self._check_open()
        erasure = self.erasures.get((tenant, case_id))
        if erasure is not None:
            raise CaseErased(tenant, case_id, erasure.erased_at)
        existing = self.case_keys.get((tenant, case_id))
        if existing is not None:
            return existing
        if await self.get_tenant_key_version(tenant, key.parent_key_id) is None:
            raise StaleTenantKey(tenant, key.parent_key_id)
        return self.case_keys.setdefault((tenant, case_id), key)

    async def delete_case_key(self, tenant: str, case_id: str, *, actor: str, erased_at: datetime) -> Erasure:
        self._check_open()
        deleted = self.case_keys.pop((tenant, case_id), None)
        erasure = Erasure(tenant, case_id, erased_at, actor, deleted.key_id if deleted else None)
        return self.erasures.setdefault((tenant, case_id), erasure)

    async def get_erasure(self, tenant: str, case_id: str) -> Erasure | None:
        self._check_open()
        return self.erasures.get((tenant, case_id))

    async def close(self) -> None:
        self._closed = True

    def _check_open(self) -> None:
        if self._closed:
            raise KeyStoreUnavailable("The in-memory key store is closed")
