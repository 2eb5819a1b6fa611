"""In-memory key store: for pure unit tests only. Same semantics as the PostgreSQL adapter."""

from __future__ import annotations

from datetime import datetime

from klachtspoor.crypto.errors import CaseErased, KeyStoreUnavailable
from klachtspoor.crypto.keystore import Erasure, KeyStore, WrappedKey


class InMemoryKeyStore(KeyStore):
    def __init__(self) -> None:
        self.tenant_keys: dict[str, WrappedKey] = {}
        self.case_keys: dict[tuple[str, str], WrappedKey] = {}
        self.erasures: dict[tuple[str, str], Erasure] = {}
        self._closed = False

    async def get_tenant_key(self, tenant: str) -> WrappedKey | None:
        self._check_open()
        return self.tenant_keys.get(tenant)

    async def create_tenant_key(self, tenant: str, key: WrappedKey) -> WrappedKey:
        self._check_open()
        return self.tenant_keys.setdefault(tenant, key)

    async def get_case_key(self, tenant: str, case_id: str) -> WrappedKey | None:
        self._check_open()
        return self.case_keys.get((tenant, case_id))

    async def create_case_key(self, tenant: str, case_id: str, key: WrappedKey) -> WrappedKey:
        self._check_open()
        erasure = self.erasures.get((tenant, case_id))
        if erasure is not None:
            raise CaseErased(tenant, case_id, erasure.erased_at)
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
