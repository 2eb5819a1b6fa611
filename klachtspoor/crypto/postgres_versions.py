"""The PostgreSQL key store's part for rotation: tenant key versions, re-wrapping, retiring.

Every change is a compare-and-set in SQL (``WHERE`` the old wrapping is still stored), so two rotations,
or a rotation and the services writing, can run at once: the second one changes nothing. Retiring an old
tenant key version takes the tenant's advisory lock exclusively; creating a case key and re-wrapping take
it shared and check in their next statement that the version they wrap under is stored. So no case key can
come to name a version that is gone.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from klachtspoor.crypto.errors import KeyStoreError, KeyStoreUnavailable
from klachtspoor.crypto.keystore import Rewrap, TenantKeyVersion, WrappedKey
from klachtspoor.pgconnect import Timeouts, acquire, translated

Conn = asyncpg.Connection | PoolConnectionProxy
"""A plain connection or one borrowed from a pool."""


def translated_errors(operation: str) -> AbstractAsyncContextManager[None]:
    """Driver errors become port errors that name the operation (never key material)."""
    return translated(operation, component="Key store", unavailable=KeyStoreUnavailable, failed=KeyStoreError)


def _lock_name(tenant: str) -> str:
    return f"klachtspoor.keystore.tenant:{tenant}"


async def lock_case(conn: Conn, tenant: str, case_id: str) -> None:
    """Serialise key creation and erasure of one case, and hold the tenant's versions (shared), until the
    transaction ends."""
    await conn.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0)),"
        " pg_advisory_xact_lock_shared(hashtextextended($2, 0))",
        f"klachtspoor.keystore:{tenant}:{case_id}",
        _lock_name(tenant),
    )


def wrapped_key(row: asyncpg.Record, parent: str) -> WrappedKey:
    """A stored wrapped key; ``parent`` names the column of the key that wraps it."""
    return WrappedKey(row["key_id"], row[parent], row["wrapped"])


class TenantKeyVersions:
    """The rotation part of :class:`~klachtspoor.crypto.postgres.PostgresKeyStore`, which hands its calls
    here: on the same pool, with the same timeouts."""

    def __init__(self, pool: asyncpg.Pool, timeouts: Timeouts) -> None:
        self._pool = pool
        self._timeouts = timeouts

    async def get_tenant_key_version(self, tenant: str, key_id: str) -> WrappedKey | None:
        async with translated_errors(f"get tenant key {key_id} of {tenant!r}"):
            row = await self._pool.fetchrow(
                "SELECT key_id, master_key_id, wrapped FROM keystore.tenant_keys"
                " WHERE tenant = $1 AND key_id = $2",
                tenant,
                key_id,
            )
        return None if row is None else wrapped_key(row, "master_key_id")

    async def list_tenant_keys(self) -> list[TenantKeyVersion]:
        async with translated_errors("list tenant keys"):
            rows = await self._pool.fetch(
                "SELECT tenant, version, key_id, master_key_id, wrapped FROM keystore.tenant_keys"
                " ORDER BY tenant, version"
            )
        return [
            TenantKeyVersion(row["tenant"], row["version"], wrapped_key(row, "master_key_id")) for row in rows
        ]

    async def add_tenant_key_version(self, tenant: str, key: WrappedKey, *, after_key_id: str) -> WrappedKey:
        async with translated_errors(f"add a tenant key version of {tenant!r}"):
            await self._pool.execute(
                "INSERT INTO keystore.tenant_keys (tenant, version, key_id, master_key_id, wrapped)"
                " SELECT tenant, version + 1, $3, $4, $5 FROM keystore.tenant_keys"
                " WHERE tenant = $1 AND key_id = $2"
                " AND version = (SELECT max(version) FROM keystore.tenant_keys WHERE tenant = $1)"
                " ON CONFLICT DO NOTHING",
                tenant,
                after_key_id,
                key.key_id,
                key.parent_key_id,
                key.wrapped,
            )
            row = await self._pool.fetchrow(
                "SELECT key_id, master_key_id, wrapped FROM keystore.tenant_keys WHERE tenant = $1"
                " ORDER BY version DESC LIMIT 1",
                tenant,
            )
        if row is None:
            raise KeyStoreError(f"Tenant {tenant!r} has no key to rotate (expected {after_key_id})")
        return wrapped_key(row, "master_key_id")

    async def rewrap_tenant_key(self, tenant: str, rewrap: Rewrap) -> bool:
        async with translated_errors(f"re-wrap tenant key {rewrap.old.key_id} of {tenant!r}"):
            status = await self._pool.execute(
                "UPDATE keystore.tenant_keys SET master_key_id = $5, wrapped = $6"
                " WHERE tenant = $1 AND key_id = $2 AND master_key_id = $3 AND wrapped = $4",
                tenant,
                rewrap.old.key_id,
                rewrap.old.parent_key_id,
                rewrap.old.wrapped,
                rewrap.new.parent_key_id,
                rewrap.new.wrapped,
            )
        return str(status) == "UPDATE 1"

    async def retire_tenant_key(self, tenant: str, key_id: str) -> bool:
        async with (
            translated_errors(f"retire tenant key {key_id} of {tenant!r}"),
            acquire(self._pool, self._timeouts) as conn,
            conn.transaction(),
        ):
            await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", _lock_name(tenant))
            status = await conn.execute(
                "DELETE FROM keystore.tenant_keys WHERE tenant = $1 AND key_id = $2"
                " AND version < (SELECT max(version) FROM keystore.tenant_keys WHERE tenant = $1)"
                " AND NOT EXISTS (SELECT 1 FROM keystore.case_keys WHERE tenant = $1 AND tenant_key_id = $2)",
                tenant,
                key_id,
            )
        return str(status) == "DELETE 1"

    async def count_case_keys_under(self, tenant: str, tenant_key_id: str) -> int:
        async with translated_errors(f"count case keys under tenant key {tenant_key_id} of {tenant!r}"):
            count = await self._pool.fetchval(
                "SELECT count(*) FROM keystore.case_keys WHERE tenant = $1 AND tenant_key_id = $2",
                tenant,
                tenant_key_id,
            )
        return int(count)

    async def case_keys_under(
        self, tenant: str, tenant_key_id: str, *, after_case_id: str = "", limit: int = 500
    ) -> list[tuple[str, WrappedKey]]:
        async with translated_errors(f"list case keys under tenant key {tenant_key_id} of {tenant!r}"):
            rows = await self._pool.fetch(
                "SELECT case_id, key_id, tenant_key_id, wrapped FROM keystore.case_keys"
                " WHERE tenant = $1 AND tenant_key_id = $2 AND case_id > $3 ORDER BY case_id LIMIT $4",
                tenant,
                tenant_key_id,
                after_case_id,
                limit,
            )
        return [(row["case_id"], wrapped_key(row, "tenant_key_id")) for row in rows]

    async def rewrap_case_keys(self, tenant: str, rewraps: dict[str, Rewrap]) -> int:
        if not rewraps:
            return 0
        cases = list(rewraps)
        each = [rewraps[case_id] for case_id in cases]
        async with (
            translated_errors(f"re-wrap {len(cases)} case keys of {tenant!r}"),
            acquire(self._pool, self._timeouts) as conn,
            conn.transaction(),
        ):
            await conn.execute(
                "SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))", _lock_name(tenant)
            )
            status = await conn.execute(
                "UPDATE keystore.case_keys AS k SET tenant_key_id = r.new_parent, wrapped = r.new_wrapped"
                " FROM unnest($2::text[], $3::text[], $4::text[], $5::bytea[], $6::text[], $7::bytea[])"
                " AS r(case_id, key_id, old_parent, old_wrapped, new_parent, new_wrapped)"
                " WHERE k.tenant = $1 AND k.case_id = r.case_id AND k.key_id = r.key_id"
                " AND k.tenant_key_id = r.old_parent AND k.wrapped = r.old_wrapped"
                " AND EXISTS (SELECT 1 FROM keystore.tenant_keys AS t"
                " WHERE t.tenant = $1 AND t.key_id = r.new_parent)",
                tenant,
                cases,
                [r.old.key_id for r in each],
                [r.old.parent_key_id for r in each],
                [r.old.wrapped for r in each],
                [r.new.parent_key_id for r in each],
                [r.new.wrapped for r in each],
            )
        return int(str(status).split()[-1])
