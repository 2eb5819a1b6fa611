"""PostgreSQL key store (asyncpg), in its own schema ``keystore``.

Its migrations are the SQL files in ``sql/``, one object per file, applied at start by the shared runner
(:mod:`klachtspoor.migrations`), recorded in ``keystore.applied_migrations``. Creating a case key and
erasing a case take the same per-case advisory lock inside their transactions, so no key can appear
after an erasure. Tenant key versions, re-wrapping and retiring (rotation) are in
:mod:`klachtspoor.crypto.postgres_versions`.
"""

from __future__ import annotations

from datetime import datetime

import asyncpg

from klachtspoor.crypto.errors import CaseErased, KeyStoreError, StaleTenantKey
from klachtspoor.crypto.keystore import Erasure, KeyStore, Rewrap, TenantKeyVersion, WrappedKey
from klachtspoor.crypto.postgres_versions import Conn, TenantKeyVersions, lock_case, wrapped_key
from klachtspoor.crypto.postgres_versions import translated_errors as _translated
from klachtspoor.migrations import CarriedOver, MigrationSet, apply_migrations
from klachtspoor.pgconnect import Timeouts, acquire, create_prepared_pool

KEYSTORE_SCHEMA = MigrationSet(
    package="klachtspoor.crypto",
    schema="keystore",
    files=(
        "001_schema_keystore.sql",
        "002_table_migrations.sql",
        "003_table_tenant_keys.sql",
        "004_table_case_keys.sql",
        "005_table_erasures.sql",
        "006_drop_table_migrations.sql",
        "007_column_tenant_keys_version.sql",
        "008_key_tenant_keys_version.sql",
        "009_index_tenant_keys_key_id.sql",
        "010_index_case_keys_tenant_key.sql",
    ),
    carried_over=CarriedOver(table="keystore.migrations"),
)


async def migrate(conn: Conn) -> list[str]:
    """Apply the pending migrations in one transaction; return the names applied now.

    Files are append-only: one that was applied and has changed since is an error, not a silent skip.
    """
    async with _translated("migration"):
        return await apply_migrations(conn, KEYSTORE_SCHEMA)


class PostgresKeyStore(KeyStore):
    def __init__(self, pool: asyncpg.Pool, timeouts: Timeouts | None = None) -> None:
        self._pool = pool
        self._timeouts = timeouts or Timeouts()
        self._versions = TenantKeyVersions(pool, self._timeouts)

    @classmethod
    async def open(
        cls, database_url: str, *, min_size: int = 1, max_size: int = 4, timeouts: Timeouts | None = None
    ) -> PostgresKeyStore:
        """Connect, apply pending migrations, and return a ready store."""
        limits = timeouts or Timeouts.of()
        async with _translated("connect"):
            pool = await create_prepared_pool(
                database_url, migrate, min_size=min_size, max_size=max_size, timeouts=limits
            )
        return cls(pool, limits)

    async def get_tenant_key(self, tenant: str) -> WrappedKey | None:
        async with _translated(f"get tenant key of {tenant!r}"):
            row = await self._pool.fetchrow(
                "SELECT key_id, master_key_id, wrapped FROM keystore.tenant_keys WHERE tenant = $1"
                " ORDER BY version DESC LIMIT 1",
                tenant,
            )
        return None if row is None else wrapped_key(row, "master_key_id")

    async def create_tenant_key(self, tenant: str, key: WrappedKey) -> WrappedKey:
        async with _translated(f"create tenant key of {tenant!r}"):
            await self._pool.execute(
                "INSERT INTO keystore.tenant_keys (tenant, version, key_id, master_key_id, wrapped)"
                " VALUES ($1, 1, $2, $3, $4) ON CONFLICT DO NOTHING",
                tenant,
                key.key_id,
                key.parent_key_id,
                key.wrapped,
            )
        stored = await self.get_tenant_key(tenant)
        if stored is None:
            raise KeyStoreError(f"Tenant key of {tenant!r} vanished right after it was created")
        return stored

    # Tenant key versions and re-wrapping (rotation): klachtspoor.crypto.postgres_versions.

    async def get_tenant_key_version(self, tenant: str, key_id: str) -> WrappedKey | None:
        return await self._versions.get_tenant_key_version(tenant, key_id)

    async def list_tenant_keys(self) -> list[TenantKeyVersion]:
        return await self._versions.list_tenant_keys()

    async def add_tenant_key_version(self, tenant: str, key: WrappedKey, *, after_key_id: str) -> WrappedKey:
        return await self._versions.add_tenant_key_version(tenant, key, after_key_id=after_key_id)

    async def rewrap_tenant_key(self, tenant: str, rewrap: Rewrap) -> bool:
        return await self._versions.rewrap_tenant_key(tenant, rewrap)

    async def retire_tenant_key(self, tenant: str, key_id: str) -> bool:
        return await self._versions.retire_tenant_key(tenant, key_id)

    async def count_case_keys_under(self, tenant: str, tenant_key_id: str) -> int:
        return await self._versions.count_case_keys_under(tenant, tenant_key_id)

    async def case_keys_under(
        self, tenant: str, tenant_key_id: str, *, after_case_id: str = "", limit: int = 500
    ) -> list[tuple[str, WrappedKey]]:
        return await self._versions.case_keys_under(
            tenant, tenant_key_id, after_case_id=after_case_id, limit=limit
        )

    async def rewrap_case_keys(self, tenant: str, rewraps: dict[str, Rewrap]) -> int:
        return await self._versions.rewrap_case_keys(tenant, rewraps)

    async def get_case_key(self, tenant: str, case_id: str) -> WrappedKey | None:
        async with _translated(f"get key of case {case_id} (tenant {tenant!r})"):
            row = await self._pool.fetchrow(
                "SELECT key_id, tenant_key_id, wrapped FROM keystore.case_keys"
                " WHERE tenant = $1 AND case_id = $2",
                tenant,
                case_id,
            )
        return None if row is None else wrapped_key(row, "tenant_key_id")

    async def create_case_key(self, tenant: str, case_id: str, key: WrappedKey) -> WrappedKey:
        async with (
            _translated(f"create key of case {case_id} (tenant {tenant!r})"),
            acquire(self._pool, self._timeouts) as conn,
            conn.transaction(),
        ):
            await lock_case(conn, tenant, case_id)
            state = await conn.fetchrow(
                "SELECT (SELECT erased_at FROM keystore.erasures WHERE tenant = $1 AND case_id = $2)"
                " AS erased_at,"
                " EXISTS (SELECT 1 FROM keystore.case_keys WHERE tenant = $1 AND case_id = $2) AS has_key,"
                " EXISTS (SELECT 1 FROM keystore.tenant_keys WHERE tenant = $1 AND key_id = $3)"
                " AS parent_stored",
                tenant,
                case_id,
                key.parent_key_id,
            )
            assert state is not None
            if state["erased_at"] is not None:
                raise CaseErased(tenant, case_id, state["erased_at"])
            if not state["has_key"] and not state["parent_stored"]:
                raise StaleTenantKey(tenant, key.parent_key_id)
            await conn.execute(
                "INSERT INTO keystore.case_keys (tenant, case_id, key_id, tenant_key_id, wrapped)"
                " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant, case_id) DO NOTHING",
                tenant,
                case_id,
                key.key_id,
                key.parent_key_id,
                key.wrapped,
            )
            row = await conn.fetchrow(
                "SELECT key_id, tenant_key_id, wrapped FROM keystore.case_keys"
                " WHERE tenant = $1 AND case_id = $2",
                tenant,
                case_id,
            )
        if row is None:
            raise KeyStoreError(
                f"Key of case {case_id} (tenant {tenant!r}) vanished right after it was created"
            )
        return wrapped_key(row, "tenant_key_id")

    async def delete_case_key(self, tenant: str, case_id: str, *, actor: str, erased_at: datetime) -> Erasure:
        async with (
            _translated(f"erase case {case_id} (tenant {tenant!r})"),
            acquire(self._pool, self._timeouts) as conn,
            conn.transaction(),
        ):
            await lock_case(conn, tenant, case_id)
            key_id = await conn.fetchval(
                "DELETE FROM keystore.case_keys WHERE tenant = $1 AND case_id = $2 RETURNING key_id",
                tenant,
                case_id,
            )
            await conn.execute(
                "INSERT INTO keystore.erasures (tenant, case_id, key_id, erased_at, actor)"
                " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant, case_id) DO NOTHING",
                tenant,
                case_id,
                key_id,
                erased_at,
                actor,
            )
            erasure = await self._erasure(conn, tenant, case_id)
        if erasure is None:
            raise KeyStoreError(f"Erasure of case {case_id} (tenant {tenant!r}) was not recorded")
        return erasure

    async def get_erasure(self, tenant: str, case_id: str) -> Erasure | None:
        async with (
            _translated(f"read erasure of case {case_id} (tenant {tenant!r})"),
            acquire(self._pool, self._timeouts) as conn,
        ):
            return await self._erasure(conn, tenant, case_id)

    @staticmethod
    async def _erasure(conn: Conn, tenant: str, case_id: str) -> Erasure | None:
        row = await conn.fetchrow(
            "SELECT key_id, erased_at, actor FROM keystore.erasures WHERE tenant = $1 AND case_id = $2",
            tenant,
            case_id,
        )
        if row is None:
            return None
        return Erasure(tenant, case_id, row["erased_at"], row["actor"], row["key_id"])

    async def close(self) -> None:
        await self._pool.close()
