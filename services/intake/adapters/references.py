"""Case references in intake's own PostgreSQL table, allocated once per (tenant, case).

The allocation is keyed by the case id, so a retried submission (same Idempotency-Key, same case id)
gets the reference it got the first time, also when 50 retries race. Numbers count per tenant and year
of registration, one at a time, without gaps; a number is only lost when a process stops between
allocating it and appending the case (see docs/services/intake.md).

The same schema keeps the Idempotency-Key claims (``intake.idempotency_keys``, migration 006): which case
a tenant's submitter's key opened, with a keyed MAC of the request, until the claim expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

import asyncpg

from klachtspoor import pgconnect
from klachtspoor.eventstore.errors import StoreUnavailable
from services.intake.adapters.schema import apply_schema


@dataclass(frozen=True, slots=True)
class Allocation:
    year: int
    number: int
    created: bool
    """True for the call that allocated it; False for every retry."""


@dataclass(frozen=True, slots=True)
class Claim:
    case_id: UUID
    request_mac: str
    """The MAC of the submission that first claimed the key (compare it with the current one)."""
    created: bool
    """True for the call that claimed it; False while the claim lives."""


class ReferencesUnavailable(StoreUnavailable):
    """Intake's database could not be reached; nothing was allocated, the request may be retried."""


class ReferenceAllocator(Protocol):
    async def allocate(self, tenant: str, case_id: UUID, year: int) -> Allocation: ...

    async def claim_key(
        self, tenant: str, key_digest: str, claim: Claim, *, now: datetime, expires_at: datetime
    ) -> Claim:
        """The live claim of ``key_digest`` in ``tenant``, or ``claim`` (with ``created``) when none."""

    async def live_claim(self, tenant: str, key_digest: str, *, now: datetime) -> Claim | None:
        """The claim of ``key_digest`` in ``tenant`` still live at ``now`` (``created`` False), or None."""

    async def purge_expired_keys(self, now: datetime) -> int:
        """Delete the claims expired at ``now``; return how many."""

    async def claimed_cases(self) -> list[tuple[str, UUID]]:
        """(tenant, case id) of every claim still stored."""

    async def forget_case(self, tenant: str, case_id: UUID) -> int:
        """Delete the claims naming the case (it was erased); return how many."""

    async def ping(self) -> None:
        """Raise when the allocator's database cannot be reached."""


class PostgresReferences:
    """:class:`ReferenceAllocator` on the ``intake`` schema (migrated by :meth:`open`)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @classmethod
    async def open(cls, database_url: str, *, min_size: int = 1, max_size: int = 10) -> PostgresReferences:
        conn = await pgconnect.connect(database_url)
        try:
            await apply_schema(conn)
        finally:
            await conn.close()
        pool = await pgconnect.create_pool(database_url, min_size=min_size, max_size=max_size)
        return cls(pool)

    async def allocate(self, tenant: str, case_id: UUID, year: int) -> Allocation:
        try:
            row = await self._pool.fetchrow(
                "SELECT year, number, created FROM intake.allocate_reference($1, $2, $3)",
                tenant,
                case_id,
                year,
            )
        except pgconnect.UNAVAILABLE as error:
            raise ReferencesUnavailable(
                f"Cannot allocate a reference for case {case_id} ({tenant}): {error!r}"
            ) from error
        if row is None:  # the function always returns one row; this would be a broken migration
            raise RuntimeError(f"intake.allocate_reference returned nothing for case {case_id} ({tenant})")
        return Allocation(row["year"], row["number"], row["created"])

    async def claim_key(
        self, tenant: str, key_digest: str, claim: Claim, *, now: datetime, expires_at: datetime
    ) -> Claim:
        try:
            row = await self._pool.fetchrow(
                "SELECT case_id, request_mac, created"
                " FROM intake.claim_idempotency_key($1, $2, $3, $4, $5, $6)",
                tenant,
                key_digest,
                claim.case_id,
                claim.request_mac,
                now,
                expires_at,
            )
        except pgconnect.UNAVAILABLE as error:
            raise ReferencesUnavailable(f"Cannot claim an Idempotency-Key ({tenant}): {error!r}") from error
        if row is None:  # the function always returns one row; this would be a broken migration
            raise RuntimeError(f"intake.claim_idempotency_key returned nothing ({tenant})")
        return Claim(row["case_id"], row["request_mac"], row["created"])

    async def live_claim(self, tenant: str, key_digest: str, *, now: datetime) -> Claim | None:
        try:
            row = await self._pool.fetchrow(
                "SELECT case_id, request_mac FROM intake.idempotency_keys"
                " WHERE tenant = $1 AND key_digest = $2 AND expires_at > $3",
                tenant,
                key_digest,
                now,
            )
        except pgconnect.UNAVAILABLE as error:
            raise ReferencesUnavailable(f"Cannot look up an Idempotency-Key ({tenant}): {error!r}") from error
        return None if row is None else Claim(row["case_id"], row["request_mac"], created=False)

    async def purge_expired_keys(self, now: datetime) -> int:
        try:
            status = await self._pool.execute(
                "DELETE FROM intake.idempotency_keys WHERE expires_at <= $1", now
            )
        except pgconnect.UNAVAILABLE as error:
            raise ReferencesUnavailable(f"Cannot purge expired Idempotency-Keys: {error!r}") from error
        return int(status.rsplit(" ", 1)[-1])

    async def claimed_cases(self) -> list[tuple[str, UUID]]:
        try:
            rows = await self._pool.fetch("SELECT DISTINCT tenant, case_id FROM intake.idempotency_keys")
        except pgconnect.UNAVAILABLE as error:
            raise ReferencesUnavailable(f"Cannot list Idempotency-Key claims: {error!r}") from error
        return [(row["tenant"], row["case_id"]) for row in rows]

    async def forget_case(self, tenant: str, case_id: UUID) -> int:
        try:
            status = await self._pool.execute(
                "DELETE FROM intake.idempotency_keys WHERE tenant = $1 AND case_id = $2", tenant, case_id
            )
        except pgconnect.UNAVAILABLE as error:
            raise ReferencesUnavailable(f"Cannot forget the claims of case {case_id}: {error!r}") from error
        return int(status.rsplit(" ", 1)[-1])

    async def ping(self) -> None:
        await self._pool.fetchval("SELECT 1")

    async def close(self) -> None:
        await self._pool.close()
