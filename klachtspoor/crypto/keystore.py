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


@dataclass(frozen=True, slots=True)
class TenantKeyVersion:
    """One stored version of a tenant's key: rotation adds a version, retiring removes an old one."""

    tenant: str
    version: int
    key: WrappedKey


@dataclass(frozen=True, slots=True)
class Rewrap:
    """A compare-and-set: store ``new`` for a key only while ``old`` is what is stored (same key id)."""

    old: WrappedKey
    new: WrappedKey

    def __post_init__(self) -> None:
        if self.old.key_id != self.new.key_id:
            raise ValueError(f"A re-wrap keeps the key: {self.old.key_id} cannot become {self.new.key_id}")


class KeyStore(ABC):
    """Port. Adapters: PostgreSQL (asyncpg) and in-memory (unit tests only).

    ``create_*`` insert a key unless one exists and return the key that is stored, so concurrent
    creators agree on one key. Erasure and case-key creation exclude each other: once a case is erased
    no key can appear for it again. Rotation only ever re-wraps a key that is stored (compare-and-set on
    its old wrapping), so it never brings back an erased case's key, and a case key is only created under
    a tenant key version that is stored (retiring a version and creating under it exclude each other).
    """

    @abstractmethod
    async def get_tenant_key(self, tenant: str) -> WrappedKey | None:
        """The tenant's current key: its highest version."""

    @abstractmethod
    async def get_tenant_key_version(self, tenant: str, key_id: str) -> WrappedKey | None:
        """The tenant key of this id, current or older (the one a case key names as its parent)."""

    @abstractmethod
    async def list_tenant_keys(self) -> list[TenantKeyVersion]:
        """Every stored tenant key version of every tenant, by tenant then version."""

    @abstractmethod
    async def create_tenant_key(self, tenant: str, key: WrappedKey) -> WrappedKey:
        """Store ``key`` as the tenant's first version unless it has one already; return the current key."""

    @abstractmethod
    async def add_tenant_key_version(self, tenant: str, key: WrappedKey, *, after_key_id: str) -> WrappedKey:
        """Store ``key`` as the tenant's next version if ``after_key_id`` is its current key; return the
        current key afterwards (so two concurrent rotations agree on one new version)."""

    @abstractmethod
    async def rewrap_tenant_key(self, tenant: str, rewrap: Rewrap) -> bool:
        """Replace the wrapping of a tenant key version if it is still ``rewrap.old``; whether it was."""

    @abstractmethod
    async def retire_tenant_key(self, tenant: str, key_id: str) -> bool:
        """Delete an older tenant key version that no case key refers to; whether it was deleted. The
        current version, and a version some case key still refers to, are kept."""

    @abstractmethod
    async def count_case_keys_under(self, tenant: str, tenant_key_id: str) -> int:
        """How many case keys of the tenant are wrapped by this tenant key version."""

    @abstractmethod
    async def case_keys_under(
        self, tenant: str, tenant_key_id: str, *, after_case_id: str = "", limit: int = 500
    ) -> list[tuple[str, WrappedKey]]:
        """Up to ``limit`` (case id, key) wrapped by this tenant key version, by case id after
        ``after_case_id``: the pages of a re-wrap."""

    @abstractmethod
    async def rewrap_case_keys(self, tenant: str, rewraps: dict[str, Rewrap]) -> int:
        """Per case id, replace the wrapping of its key if it is still ``old`` (an erased case has none, so
        nothing is written for it); the number replaced."""

    @abstractmethod
    async def get_case_key(self, tenant: str, case_id: str) -> WrappedKey | None: ...

    @abstractmethod
    async def create_case_key(self, tenant: str, case_id: str, key: WrappedKey) -> WrappedKey:
        """Store ``key`` for the case unless it has one; return the stored key.

        Raises :class:`~klachtspoor.crypto.errors.CaseErased` when the case was erased, and
        :class:`~klachtspoor.crypto.errors.StaleTenantKey` when the tenant key version ``key`` is wrapped
        by is not stored (retired after a rotation).
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
