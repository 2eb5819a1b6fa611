"""The key store port: where wrapped tenant and case keys live, and where erasures are recorded.

The store only ever sees keys wrapped by the layer above it (:mod:`klachtspoor.crypto.keyring`), so a dump
of its tables is useless without the master key. Erasing a case deletes the case key: every ciphertext of
that case becomes unreadable for good (crypto-shredding), while a tombstone says when and by whom.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class WrappedKey:
    """A key encrypted under its parent: the master key (tenant keys) or a tenant key (case keys)."""

    key_id: str
    parent_key_id: str
    wrapped: bytes

    def __repr__(self) -> str:
        return f"WrappedKey(key_id={self.key_id!r}, parent_key_id={self.parent_key_id!r})"


@dataclass(frozen=True, slots=True)
class Erasure:
    """Tombstone of an erased case: who erased it and when, never anything personal."""

    tenant: str
    case_id: str
    erased_at: datetime
    actor: str
    key_id: str | None
    """The shredded case key, or None when the case never had one."""


class KeyStore(ABC):
    """Port. Adapters: PostgreSQL (asyncpg) and in-memory (unit tests only).

    ``create_*`` insert a key unless one exists and return the key that is stored, so concurrent
    creators agree on one key. Erasure and case-key creation exclude each other: once a case is erased
    no key can appear for it again.
    """

    @abstractmethod
    async def get_tenant_key(self, tenant: str) -> WrappedKey | None: ...

    @abstractmethod
    async def create_tenant_key(self, tenant: str, key: WrappedKey) -> WrappedKey:
        """Store ``key`` for the tenant unless it has one already; return the stored key."""

    @abstractmethod
    async def get_case_key(self, tenant: str, case_id: str) -> WrappedKey | None: ...

    @abstractmethod
    async def create_case_key(self, tenant: str, case_id: str, key: WrappedKey) -> WrappedKey:
        """Store ``key`` for the case unless it has one; return the stored key.

        Raises :class:`~klachtspoor.crypto.errors.CaseErased` when the case was erased.
        """

    @abstractmethod
    async def delete_case_key(self, tenant: str, case_id: str, *, actor: str, erased_at: datetime) -> Erasure:
        """Delete the case key and record the erasure, atomically. Erasing twice keeps the first record."""

    @abstractmethod
    async def get_erasure(self, tenant: str, case_id: str) -> Erasure | None: ...

    async def is_erased(self, tenant: str, case_id: str) -> bool:
        return await self.get_erasure(tenant, case_id) is not None

    @abstractmethod
    async def close(self) -> None:
        """Release connections. The store is unusable afterwards."""
