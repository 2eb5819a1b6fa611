"""The dashboard's reads of the read model: the overview's counts and the case lists behind them.

Every query is scoped to one tenant. The counts come from ``reporting.cases`` (status, running terms with
their due dates) and ``reporting.case_facts`` (highest step, breaches), joined by case id; the two are
kept by separate projections, so for a moment after an event one may be a step ahead of the other. The
statistics themselves are read through :meth:`CaseReader.figures`, as the statistics API reads them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from contracts.vocabulary import DeadlineKind
from klachtspoor import pgconnect
from services.reporting.adapters.facts import tenant_facts
from services.reporting.adapters.rows import CASE_COLUMNS, case_from_row
from services.reporting.domain.case import CaseView
from services.reporting.domain.dashboard import OPEN_STATUSES, BreachCount, DueCount, OpenCount
from services.reporting.domain.figures import UNKNOWN, Dimension, periods, values
from services.reporting.domain.status import CaseStatus

_OPEN = [status.value for status in OPEN_STATUSES]

_JOINED = f"""
SELECT c.*, coalesce(f.highest_step, '{UNKNOWN}') AS step, coalesce(f.terms_breached, '{{}}') AS breached
FROM reporting.cases c
LEFT JOIN reporting.case_facts f ON f.tenant = c.tenant AND f.case_id = c.case_id
WHERE c.tenant = $1
"""


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """Which cases a list shows; every field that is set must hold. ``open_only``: not withdrawn or
    closed. ``due_from``/``due_until`` (with ``deadline``, or any kind): a running, not suspended term
    falls due in that range. ``case_ids``: only these (the cases behind a statistics figure)."""

    open_only: bool = False
    status: CaseStatus | None = None
    step: str | None = None
    deadline: DeadlineKind | None = None
    due_from: date | None = None
    due_until: date | None = None
    breached: DeadlineKind | None = None
    case_ids: tuple[UUID, ...] | None = None


@dataclass(frozen=True, slots=True)
class ListedCase:
    view: CaseView
    step: str
    """The highest step the case reached (``unknown`` before the statistics projection saw it)."""
    breached: tuple[DeadlineKind, ...]


@dataclass(frozen=True, slots=True)
class ListedPage:
    cases: tuple[ListedCase, ...]
    total: int


class DashboardReader:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def open_counts(self, tenant: str) -> tuple[list[OpenCount], list[BreachCount]]:
        """The open cases by status and highest step, and those with a breach recorded
        (``DeadlineBreached``) once per case and kind of term: one pass over the open cases, grouped by
        status, step and the set of terms breached (a handful of combinations), summed here."""
        found = await self._pool.fetch(
            f"SELECT status, step, breached, count(*)::int AS cases FROM ({_JOINED}) x "
            "WHERE status = ANY($2::text[]) GROUP BY 1, 2, 3",
            tenant,
            _OPEN,
        )
        opened: Counter[tuple[str, str]] = Counter()
        breached: Counter[str] = Counter()
        for row in found:
            opened[(row["status"], row["step"])] += row["cases"]
            for kind in row["breached"]:
                breached[kind] += row["cases"]
        return (
            [OpenCount(CaseStatus(status), step, n) for (status, step), n in sorted(opened.items())],
            [BreachCount(DeadlineKind(kind), n) for kind, n in sorted(breached.items())],
        )

    async def due_counts(self, tenant: str, until: date) -> list[DueCount]:
        """Running, not suspended terms of open cases due on or before ``until``, by kind and due date."""
        found = await self._pool.fetch(
            """
            SELECT t->>'deadline' AS deadline, (t->>'due_on')::date AS due_on, count(*)::int AS terms
            FROM reporting.cases c CROSS JOIN LATERAL jsonb_array_elements(c.terms) t
            WHERE c.tenant = $1 AND c.status = ANY($3::text[])
              AND NOT (t->>'suspended')::boolean AND (t->>'due_on')::date <= $2
            GROUP BY 1, 2
            """,
            tenant,
            until,
            _OPEN,
        )
        return [DueCount(DeadlineKind(r["deadline"]), r["due_on"], r["terms"]) for r in found]

    async def cases(self, tenant: str, wanted: CaseFilter, *, limit: int, offset: int) -> ListedPage:
        """The cases a figure counts, newest first (as the API's case list), ``limit`` from ``offset``."""
        where, arguments = _conditions(wanted)
        query = f"FROM ({_JOINED}) x WHERE {where}"
        async with (
            pgconnect.acquire(self._pool) as conn,
            conn.transaction(isolation="repeatable_read", readonly=True),
        ):
            total = await conn.fetchval(f"SELECT count(*) {query}", tenant, *arguments)
            found = await conn.fetch(
                f"SELECT {CASE_COLUMNS}, step, breached {query} ORDER BY opened_at DESC, case_id DESC "
                f"LIMIT ${len(arguments) + 2} OFFSET ${len(arguments) + 3}",
                tenant,
                *arguments,
                limit,
                offset,
            )
        listed = tuple(
            ListedCase(case_from_row(r), r["step"], tuple(DeadlineKind(k) for k in r["breached"]))
            for r in found
        )
        return ListedPage(listed, total)

    async def figure_cases(
        self, tenant: str, period: str, dimension: Dimension, value: str
    ) -> tuple[UUID, ...]:
        """The cases a statistics figure counts: the same facts, periods and values the figures count."""
        async with (
            pgconnect.acquire(self._pool) as conn,
            conn.transaction(isolation="repeatable_read", readonly=True),
        ):
            facts = await tenant_facts(conn, tenant)
        return tuple(f.case_id for f in facts if period in periods(f) and (dimension, value) in values(f))


def _conditions(wanted: CaseFilter) -> tuple[str, Sequence[object]]:
    """SQL conditions on the joined rows (``$1`` is the tenant) and their arguments, in order."""
    conditions: list[str] = []
    arguments: list[object] = []

    def argument(value: object, cast: str) -> str:
        arguments.append(value)
        return f"${len(arguments) + 1}::{cast}"

    if wanted.open_only:
        conditions.append(f"status = ANY({argument(_OPEN, 'text[]')})")
    if wanted.status is not None:
        conditions.append(f"status = {argument(wanted.status.value, 'text')}")
    if wanted.step is not None:
        conditions.append(f"step = {argument(wanted.step, 'text')}")
    if wanted.breached is not None:
        conditions.append(f"{argument(wanted.breached.value, 'text')} = ANY(breached)")
    if wanted.due_from is not None or wanted.due_until is not None or wanted.deadline is not None:
        term = ["NOT (t->>'suspended')::boolean"]
        if wanted.deadline is not None:
            term.append(f"t->>'deadline' = {argument(wanted.deadline.value, 'text')}")
        if wanted.due_from is not None:
            term.append(f"(t->>'due_on')::date >= {argument(wanted.due_from, 'date')}")
        if wanted.due_until is not None:
            term.append(f"(t->>'due_on')::date <= {argument(wanted.due_until, 'date')}")
        conditions.append(f"EXISTS (SELECT 1 FROM jsonb_array_elements(terms) t WHERE {' AND '.join(term)})")
    if wanted.case_ids is not None:
        conditions.append(f"case_id = ANY({argument(list(wanted.case_ids), 'uuid[]')})")
    return " AND ".join(conditions) or "true", arguments
