"""The statistics' stored counts (``reporting.figure_counts`` and ``reporting.handling_counts``): kept by
the statistics projection with each case's facts, and read as :class:`Figures` without touching the
cases.

The live handler adds the :class:`~services.reporting.domain.figures.Change` of one case's new facts in
the transaction that saves them; a rebuild writes the counts of all its facts at once
(:func:`count_records`). Either way the stored counts are the pure
:func:`~services.reporting.domain.figures.figures` of the rows:
``tests/services/reporting/test_statistics_counts.py`` proves it on random histories of random facts.
A tenant with a row written before handling days were stored (migration 012) is read from its case facts
instead, so its figures stay exact until a rebuild of ``statistics`` fills them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import asyncpg

from services.reporting.adapters.facts import tenant_facts
from services.reporting.domain.facts import CaseFacts
from services.reporting.domain.figures import Change, Dimension, Figures, change, figures, stored_figures

FIGURE_COUNTS = "reporting.figure_counts"
HANDLING_COUNTS = "reporting.handling_counts"
FIGURE_COLUMNS = ("tenant", "period", "dimension", "value", "cases")
HANDLING_COLUMNS = ("tenant", "period", "days", "cases")

_GROW_CELLS = """
INSERT INTO reporting.figure_counts AS c (tenant, period, dimension, value, cases)
SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::int[])
ON CONFLICT (tenant, period, dimension, value) DO UPDATE SET cases = c.cases + excluded.cases
"""
_SHRINK_CELLS = """
UPDATE reporting.figure_counts AS c SET cases = c.cases + d.change
  FROM unnest($2::text[], $3::text[], $4::text[], $5::int[]) AS d(period, dimension, value, change)
 WHERE c.tenant = $1 AND c.period = d.period AND c.dimension = d.dimension AND c.value = d.value
"""
_GROW_DAYS = """
INSERT INTO reporting.handling_counts AS c (tenant, period, days, cases)
SELECT $1, * FROM unnest($2::text[], $3::int[], $4::int[])
ON CONFLICT (tenant, period, days) DO UPDATE SET cases = c.cases + excluded.cases
"""
_SHRINK_DAYS = """
UPDATE reporting.handling_counts AS c SET cases = c.cases + d.change
  FROM unnest($2::text[], $3::int[], $4::int[]) AS d(period, days, change)
 WHERE c.tenant = $1 AND c.period = d.period AND c.days = d.days
"""
_LEGACY = (
    "SELECT EXISTS (SELECT 1 FROM reporting.case_facts WHERE tenant = $1 AND ended_on IS NOT NULL "
    "AND handling_days IS NULL)"
)


class CountsDiverged(RuntimeError):
    """A count to take off is not there: the stored counts no longer match the case facts."""

    def __init__(self, tenant: str, table: str, keys: Sequence[tuple[object, ...]]) -> None:
        super().__init__(
            f"Counts to take off are missing: {keys} (Tenant: {tenant}, Table: {table}); "
            "rebuild the statistics projection"
        )


async def add_change(conn: asyncpg.Connection, tenant: str, changed: Change) -> None:
    """Add one case's change to its tenant's counts (the caller's transaction also saves the facts).

    Counts that grow are upserted; counts that shrink are updated (an upsert checks the proposed row, a
    negative count, before it finds the conflict), and one missing fails loudly.
    """
    cells = [((p, d.value, v), n) for (p, d, v), n in sorted(changed.cells.items())]
    await _add(conn, tenant, FIGURE_COUNTS, (_GROW_CELLS, _SHRINK_CELLS), cells)
    await _add(conn, tenant, HANDLING_COUNTS, (_GROW_DAYS, _SHRINK_DAYS), sorted(changed.days.items()))


async def _add(
    conn: asyncpg.Connection,
    tenant: str,
    table: str,
    statements: tuple[str, str],
    changes: Sequence[tuple[tuple[object, ...], int]],
) -> None:
    grow, shrink = statements
    for sql, chosen in (
        (grow, [(key, n) for key, n in changes if n > 0]),
        (shrink, [(key, n) for key, n in changes if n < 0]),
    ):
        if not chosen:
            continue
        columns = [list(column) for column in zip(*(key for key, _ in chosen), strict=True)]
        done = await conn.execute(sql, tenant, *columns, [n for _, n in chosen])
        if sql is shrink and done != f"UPDATE {len(chosen)}":
            raise CountsDiverged(tenant, table, [key for key, _ in chosen])


async def read_figures(
    conn: asyncpg.Connection,
    tenant: str,
    *,
    periods: Sequence[str] | None = None,
    dimension: Dimension | None = None,
) -> Figures:
    """The tenant's figures of ``periods`` (all without), of one dimension or all; the handling times
    of those periods are always there."""
    if await conn.fetchval(_LEGACY, tenant):
        return _pure(await tenant_facts(conn, tenant), periods, dimension)
    cells = await conn.fetch(
        "SELECT period, dimension, value, cases FROM reporting.figure_counts WHERE tenant = $1 "
        "AND ($2::text[] IS NULL OR period = ANY($2)) AND ($3::text IS NULL OR dimension = $3) AND cases > 0",
        tenant,
        None if periods is None else list(periods),
        None if dimension is None else dimension.value,
    )
    days = await conn.fetch(
        "SELECT period, days, cases FROM reporting.handling_counts WHERE tenant = $1 "
        "AND ($2::text[] IS NULL OR period = ANY($2)) AND cases > 0",
        tenant,
        None if periods is None else list(periods),
    )
    return stored_figures(
        tenant,
        (((r["period"], Dimension(r["dimension"]), r["value"]), r["cases"]) for r in cells),
        ((r["period"], r["days"], r["cases"]) for r in days),
    )


def count_records(
    all_facts: Iterable[CaseFacts],
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """The rows of both count tables for these facts (a rebuild's), as :data:`FIGURE_COLUMNS` and
    :data:`HANDLING_COLUMNS` name them, in key order."""
    cells: Counter[tuple[str, str, Dimension, str]] = Counter()
    days: Counter[tuple[str, str, int]] = Counter()
    for facts in all_facts:
        counted = change(None, facts)
        for (period, dimension, value), n in counted.cells.items():
            cells[(facts.tenant, period, dimension, value)] += n
        for (period, handled), n in counted.days.items():
            days[(facts.tenant, period, handled)] += n
    return (
        [(t, p, d.value, v, n) for (t, p, d, v), n in sorted(cells.items())],
        [(*key, n) for key, n in sorted(days.items())],
    )


def _pure(facts: list[CaseFacts], periods: Sequence[str] | None, dimension: Dimension | None) -> Figures:
    result = figures(facts)
    return Figures(
        tuple(
            f
            for f in result.counts
            if (periods is None or f.period in periods) and (dimension is None or f.dimension is dimension)
        ),
        tuple(h for h in result.handling_times if periods is None or h.period in periods),
    )
