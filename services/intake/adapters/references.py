"""Case references in intake's own PostgreSQL table, allocated once per (tenant, case).

The allocation is keyed by the case id, so a retried submission (same Idempotency-Key, same case id)
gets the reference it got the first time, also when 50 retries race. Numbers count per tenant and year
of registration, one at a time, without gaps; a number is only lost when a process stops between
allocating it and appending the case (see docs/services/intake.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

import asyncpg

from klachtspoor.eventstore.errors import StoreUnavailable
from services.intake.adapters.migrations import migrate


@dataclass(frozen=True, slots=True)
class Allocation:
    year: int
    number: int
    request_hash: str
    """The hash of the submission that first claimed the case (compare it with the current one)."""
    created: bool
    """True for the call that allocated it; False for every retry."""


class ReferencesUnavailable(StoreUnavailable):
    """Intake's database could not be reached; nothing was allocated, the request may be retried."""


_UNAVAILABLE = (OSError, TimeoutError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError)


class ReferenceAllocator(Protocol):
    async def allocate(self, tenant: str, case_id: UUID, year: int, request_hash: str) -> Allocation: ...

    async def ping(self) -> None:
        """Raise when the allocator's database cannot be reached."""


class PostgresReferences:
    """:class:`ReferenceAllocator` on the ``intake`` schema (migrated by :meth:`open`)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @classmethod
    async def open(cls, database_url: str, *, min_size: int = 1, max_size: int = 10) -> PostgresReferences:
        conn = await asyncpg.connect(database_url, timeout=10)
        try:
            await migrate(conn)
        finally:
            await conn.close()
        pool = await asyncpg.create_pool(database_url, min_size=min_size, max_size=max_size, timeout=10)
        return cls(pool)

    async def allocate(self, tenant: str, case_id: UUID, year: int, request_hash: str) -> Allocation:
        try:
            row = await self._pool.fetchrow(
                "SELECT year, number, request_hash, created FROM intake.allocate_reference($1, $2, $3, $4)",
                tenant,
                case_id,
                year,
                request_hash,
            )
        except _UNAVAILABLE as error:
            raise ReferencesUnavailable(
                f"Cannot allocate a reference for case {case_id} ({tenant}): {error!r}"
            ) from error
        if row is None:  # the function always returns one row; this would be a broken migration
            raise RuntimeError(f"intake.allocate_reference returned nothing for case {case_id} ({tenant})")
        return Allocation(row["year"], row["number"], row["request_hash"], row["created"])

    async def ping(self) -> None:
        await self._pool.fetchval("SELECT 1")

    async def close(self) -> None:
        await self._pool.close()
