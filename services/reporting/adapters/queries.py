"""Reads of the read model for the HTTP API; every query is scoped to one tenant."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import asyncpg

from contracts.base import Actor
from contracts.vocabulary import Role
from klachtspoor import pgconnect
from services.reporting.adapters.contacts import tenant_contacts
from services.reporting.adapters.counts import read_figures
from services.reporting.adapters.rows import CASE_COLUMNS, case_from_row
from services.reporting.domain.case import CaseView
from services.reporting.domain.contacts import ContactFigures, contact_figures
from services.reporting.domain.events import TimelineEntry
from services.reporting.domain.figures import Dimension, Figures
from services.reporting.domain.status import CaseStatus
from services.reporting.domain.tables import Period


@dataclass(frozen=True, slots=True)
class CasePage:
    cases: tuple[CaseView, ...]
    total: int
    """How many cases match the filter, over all pages."""


class CaseReader:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def ping(self) -> bool:
        return bool(await self._pool.fetchval("SELECT true"))

    async def cases(self, tenant: str, *, status: CaseStatus | None, limit: int, offset: int) -> CasePage:
        """Newest first (by the time the case was opened, then case id, so pages never overlap)."""
        filter_sql = "tenant = $1 AND ($2::text IS NULL OR status = $2)"
        status_value = None if status is None else status.value
        async with (
            pgconnect.acquire(self._pool) as conn,
            conn.transaction(isolation="repeatable_read", readonly=True),
        ):
            total = await conn.fetchval(
                f"SELECT count(*) FROM reporting.cases WHERE {filter_sql}", tenant, status_value
            )
            found = await conn.fetch(
                f"SELECT {CASE_COLUMNS} FROM reporting.cases WHERE {filter_sql} "
                "ORDER BY opened_at DESC, case_id DESC LIMIT $3 OFFSET $4",
                tenant,
                status_value,
                limit,
                offset,
            )
        return CasePage(tuple(case_from_row(row) for row in found), total)

    async def case(self, tenant: str, case_id: UUID) -> CaseView | None:
        row = await self._pool.fetchrow(
            f"SELECT {CASE_COLUMNS} FROM reporting.cases WHERE tenant = $1 AND case_id = $2", tenant, case_id
        )
        return None if row is None else case_from_row(row)

    async def timeline(self, tenant: str, case_id: UUID) -> tuple[TimelineEntry, ...]:
        found = await self._pool.fetch(
            """
            SELECT tenant, case_id, version, event_id, type, actor_id, actor_role, occurred_at, recorded_at
            FROM reporting.timeline WHERE tenant = $1 AND case_id = $2 ORDER BY version
            """,
            tenant,
            case_id,
        )
        return tuple(
            TimelineEntry(
                tenant=row["tenant"],
                case_id=row["case_id"],
                version=row["version"],
                event_id=row["event_id"],
                type=row["type"],
                actor=Actor(id=row["actor_id"], role=Role(row["actor_role"])),
                occurred_at=row["occurred_at"],
                recorded_at=row["recorded_at"],
            )
            for row in found
        )

    async def figures(
        self, tenant: str, period: Period | None = None, dimension: Dimension | None = None
    ) -> Figures:
        """The tenant's raw statistics from the stored counts, read in one snapshot (disclosure control
        is the caller's: nothing of this leaves the service unprotected).

        Without ``period`` every year and quarter; a year gives the year and its quarters, a quarter
        that quarter. ``dimension`` limits the counts to one dimension (the handling times are always
        there). The figures equal the pure ``figures()`` over the case facts.
        """
        wanted = None if period is None else _periods(period)
        async with (
            pgconnect.acquire(self._pool) as conn,
            conn.transaction(isolation="repeatable_read", readonly=True),
        ):
            return await read_figures(conn, tenant, periods=wanted, dimension=dimension)

    async def statistics_tenants(self) -> tuple[str, ...]:
        """Every tenant the statistics count cases of, in order (the rows of a network table)."""
        rows = await self._pool.fetch("SELECT DISTINCT tenant FROM reporting.case_facts ORDER BY tenant")
        return tuple(row["tenant"] for row in rows)

    async def contact_figures(self, tenant: str) -> ContactFigures:
        """The tenant's raw contact figures (a confidant organisation's contacts, with and without a
        case), read in one snapshot; disclosure control is the caller's."""
        async with (
            pgconnect.acquire(self._pool) as conn,
            conn.transaction(isolation="repeatable_read", readonly=True),
        ):
            return contact_figures(await tenant_contacts(conn, tenant))


def _periods(period: Period) -> tuple[str, ...]:
    if period.quarter is not None:
        return (str(period),)
    return (str(period), *(str(Period(period.year, quarter)) for quarter in range(1, 5)))
