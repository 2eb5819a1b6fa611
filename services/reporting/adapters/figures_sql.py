"""The statistics' figures aggregated in PostgreSQL: the same :class:`Figures` as the pure
:func:`~services.reporting.domain.figures.figures` over the same rows, without loading every case.

A case counts in its year and its quarter by the day that places it (the day of receipt, else the Dutch
date of its first event), once per value of each dimension it has (``unnest`` of the category and term
arrays; ``none`` for a case without categories, ``unknown`` or ``open`` where the value is missing). The
handling time uses the working days the projection stored with each ended case (``handling_days``): the
median is the middle value or the mean of the two middle ones, the 90th percentile the nearest rank
``ceil(9n/10)`` in integer arithmetic (``percentile_disc`` multiplies in floating point, which can
round up one rank). Rows written before ``handling_days`` existed make the read fall back to the pure
function, so the figures are exact either way. ``tests/services/reporting/test_statistics_sql.py``
proves the two equal on random facts.
"""

from __future__ import annotations

from datetime import date

import asyncpg

from services.reporting.adapters.facts import tenant_facts
from services.reporting.domain.facts import CaseFacts
from services.reporting.domain.figures import Dimension, Figure, Figures, HandlingTime, figures

_FACTS = """
WITH f AS (
    SELECT *, COALESCE(received_on, first_seen_on) AS day FROM reporting.case_facts
     WHERE tenant = $1
       AND ($2::date IS NULL OR COALESCE(received_on, first_seen_on) >= $2::date)
       AND ($3::date IS NULL OR COALESCE(received_on, first_seen_on) < $3::date)
), p AS (
    SELECT f.*, v.period FROM f CROSS JOIN LATERAL (VALUES
        (extract(year FROM f.day)::int::text),
        (extract(year FROM f.day)::int::text || '-Q' || extract(quarter FROM f.day)::int::text)
    ) AS v(period)
)
"""
COUNTS_SQL = (
    _FACTS
    + """
SELECT period, dimension, value, count(*)::int AS cases FROM (
    SELECT period, 'cases' AS dimension, 'all' AS value FROM p WHERE $4::text IS NULL OR $4 = 'cases'
    UNION ALL
    SELECT period, 'channel', COALESCE(channel, 'unknown') FROM p WHERE $4::text IS NULL OR $4 = 'channel'
    UNION ALL
    SELECT period, 'highest_step', COALESCE(highest_step, 'unknown') FROM p
     WHERE $4::text IS NULL OR $4 = 'highest_step'
    UNION ALL
    SELECT period, 'outcome', COALESCE(outcome, 'open') FROM p WHERE $4::text IS NULL OR $4 = 'outcome'
    UNION ALL
    SELECT period, 'category', c FROM p
     CROSS JOIN LATERAL unnest(
            CASE WHEN cardinality(p.categories) = 0 THEN ARRAY['none'] ELSE p.categories END
        ) AS c WHERE $4::text IS NULL OR $4 = 'category'
    UNION ALL
    SELECT period, 'term_met', k FROM p CROSS JOIN LATERAL unnest(p.terms_met) AS k
     WHERE $4::text IS NULL OR $4 = 'term_met'
    UNION ALL
    SELECT period, 'term_breached', k FROM p CROSS JOIN LATERAL unnest(p.terms_breached) AS k
     WHERE $4::text IS NULL OR $4 = 'term_breached'
    UNION ALL
    SELECT period, 'measures', CASE WHEN measures_taken THEN 'taken' ELSE 'not_taken' END FROM p
     WHERE measures_taken IS NOT NULL AND ($4::text IS NULL OR $4 = 'measures')
) AS cells GROUP BY 1, 2, 3
"""
)
HANDLING_SQL = (
    _FACTS
    + """
SELECT period, n,
       CASE WHEN n % 2 = 1 THEN a[(n + 1) / 2]::float8
            ELSE (a[n / 2] + a[n / 2 + 1])::float8 / 2 END AS median,
       a[(9 * n + 9) / 10] AS p90
  FROM (SELECT period, count(*)::int AS n, array_agg(handling_days ORDER BY handling_days) AS a
          FROM p WHERE ended_on IS NOT NULL GROUP BY period) AS h
"""
)
MISSING_DAYS_SQL = (
    "SELECT EXISTS (SELECT 1 FROM reporting.case_facts WHERE tenant = $1 AND ended_on IS NOT NULL "
    "AND handling_days IS NULL)"
)


async def aggregated_figures(
    conn: asyncpg.Connection,
    tenant: str,
    *,
    days: tuple[date, date] | None = None,
    dimension: Dimension | None = None,
) -> Figures:
    """The tenant's figures of the cases placed in ``[days[0], days[1])`` (every case without), of one
    dimension or all; the periods reported are the years and quarters those cases fall in."""
    start, end = days if days is not None else (None, None)
    if await conn.fetchval(MISSING_DAYS_SQL, tenant):
        return _pure(await tenant_facts(conn, tenant), start, end, dimension)
    wanted = None if dimension is None else dimension.value
    counts = await conn.fetch(COUNTS_SQL, tenant, start, end, wanted)
    handling = await conn.fetch(HANDLING_SQL, tenant, start, end)
    return Figures(
        counts=tuple(
            sorted(
                Figure(tenant, r["period"], Dimension(r["dimension"]), r["value"], r["cases"]) for r in counts
            )
        ),
        handling_times=tuple(
            sorted(HandlingTime(tenant, r["period"], r["n"], float(r["median"]), r["p90"]) for r in handling)
        ),
    )


def _pure(
    facts: list[CaseFacts], start: date | None, end: date | None, dimension: Dimension | None
) -> Figures:
    chosen = [
        f for f in facts if (start is None or f.period_day >= start) and (end is None or f.period_day < end)
    ]
    result = figures(chosen)
    if dimension is None:
        return result
    return Figures(tuple(f for f in result.counts if f.dimension is dimension), result.handling_times)
