"""The statistics as tables, computed from case facts: ``(tenant, period, dimension, value) -> cases``
and the handling time per tenant and period.

A pure function of the facts, with a stable order, so the same facts always give the same figures (and
a rebuilt projection, holding the same facts, gives what the live one gave). Every case counts in its
quarter and in its year; what each figure means is in docs/statistics.md. These are raw counts:
disclosure control comes after, before anything leaves the service.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from klachtspoor.calendar import working_days_between
from services.reporting.domain.facts import CaseFacts


class Dimension(StrEnum):
    CASES = "cases"
    """Every case once, value ``all``: the base of the other tables."""
    CATEGORY = "category"
    """A case counts once in each category it touches; ``none`` when it has none."""
    CHANNEL = "channel"
    HIGHEST_STEP = "highest_step"
    OUTCOME = "outcome"
    TERM_MET = "term_met"
    TERM_BREACHED = "term_breached"
    MEASURES = "measures"
    """Cases whose provider announced measures (``taken``) or announced it takes none (``not_taken``)."""


ALL = "all"
NONE = "none"
UNKNOWN = "unknown"
OPEN = "open"


@dataclass(frozen=True, slots=True, order=True)
class Figure:
    tenant: str
    period: str
    dimension: Dimension
    value: str
    cases: int


@dataclass(frozen=True, slots=True, order=True)
class HandlingTime:
    """Working days from receipt to judgement or closure, over the period's cases that ended."""

    tenant: str
    period: str
    cases: int
    median: float
    p90: int


@dataclass(frozen=True, slots=True)
class Figures:
    counts: tuple[Figure, ...]
    handling_times: tuple[HandlingTime, ...]


def periods(facts: CaseFacts) -> tuple[str, str]:
    """The case's year (``2026``) and quarter (``2026-Q1``), by its Dutch day of receipt."""
    day = facts.period_day
    return f"{day.year}", f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def values(facts: CaseFacts) -> list[tuple[Dimension, str]]:
    """Every (dimension, value) cell the case counts in, each once."""
    cells = [
        (Dimension.CASES, ALL),
        (Dimension.CHANNEL, UNKNOWN if facts.channel is None else facts.channel.value),
        (Dimension.HIGHEST_STEP, UNKNOWN if facts.highest_step is None else facts.highest_step.value),
        (Dimension.OUTCOME, facts.outcome or OPEN),
    ]
    cells += [(Dimension.CATEGORY, c.value) for c in sorted(facts.categories)] or [(Dimension.CATEGORY, NONE)]
    cells += [(Dimension.TERM_MET, kind.value) for kind in sorted(facts.terms_met)]
    cells += [(Dimension.TERM_BREACHED, kind.value) for kind in sorted(facts.terms_breached)]
    if facts.measures_taken is not None:
        cells.append((Dimension.MEASURES, "taken" if facts.measures_taken else "not_taken"))
    return cells


def handling_days(facts: CaseFacts) -> int | None:
    """Working days after receipt up to and including the end; None while the case runs."""
    if facts.ended_on is None:
        return None
    return working_days_between(facts.period_day, facts.ended_on)


Cell = tuple[str, Dimension, str]
"""(period, dimension, value): one figure of a tenant."""


@dataclass(frozen=True, slots=True)
class Change:
    """What one case's new facts change in its tenant's stored counts: cells and handling days (per
    period) with the number to add, negative where the case no longer counts, none that add 0."""

    cells: dict[Cell, int]
    days: dict[tuple[str, int], int]


def change(before: CaseFacts | None, after: CaseFacts, *, days_before: int | None = None) -> Change:
    """The counts to add when a case's facts go from ``before`` to ``after``.

    ``days_before`` is the handling time stored with ``before`` (None: it was not counted), so a row
    written before the handling days were stored is taken off exactly as it was counted.
    """
    cells: Counter[Cell] = Counter()
    days: Counter[tuple[str, int]] = Counter()
    if before is not None:
        _count(before, days_before, cells, days, -1)
    _count(after, handling_days(after), cells, days, 1)
    return Change({cell: n for cell, n in cells.items() if n}, {key: n for key, n in days.items() if n})


def _count(
    facts: CaseFacts,
    handled: int | None,
    cells: Counter[Cell],
    days: Counter[tuple[str, int]],
    sign: int,
) -> None:
    counted = values(facts)
    for period in periods(facts):
        for dimension, value in counted:
            cells[(period, dimension, value)] += sign
        if handled is not None:
            days[(period, handled)] += sign


def stored_figures(
    tenant: str, cells: Iterable[tuple[Cell, int]], days: Iterable[tuple[str, int, int]]
) -> Figures:
    """The figures from a tenant's stored counts: ``cells`` as (cell, cases) and the handling days as
    (period, days, cases); counts of 0 (a value no case has any more) are left out, as the pure
    :func:`figures` leaves them out."""
    histograms: dict[str, dict[int, int]] = {}
    for period, handled, cases in days:
        if cases:
            histograms.setdefault(period, {})[handled] = cases
    return Figures(
        counts=tuple(sorted(Figure(tenant, *cell, cases) for cell, cases in cells if cases)),
        handling_times=tuple(
            sorted(_from_histogram(tenant, period, found) for period, found in histograms.items())
        ),
    )


def _from_histogram(tenant: str, period: str, histogram: dict[int, int]) -> HandlingTime:
    """Median and nearest-rank 90th percentile by rank over the counted days, without a list of them."""
    ordered = sorted(histogram.items())
    n = sum(histogram.values())

    def at(rank: int) -> int:
        seen = 0
        for handled, cases in ordered:
            seen += cases
            if seen >= rank:
                return handled
        raise ValueError(f"rank {rank} beyond the {n} counted cases (period: {period})")

    median = float(at((n + 1) // 2)) if n % 2 else (at(n // 2) + at(n // 2 + 1)) / 2
    return HandlingTime(tenant, period, n, median, at(-(-9 * n // 10)))


def figures(all_facts: Iterable[CaseFacts]) -> Figures:
    counts: Counter[tuple[str, str, Dimension, str]] = Counter()
    days: dict[tuple[str, str], list[int]] = {}
    for facts in all_facts:
        handled = handling_days(facts)
        for period in periods(facts):
            for dimension, value in values(facts):
                counts[(facts.tenant, period, dimension, value)] += 1
            if handled is not None:
                days.setdefault((facts.tenant, period), []).append(handled)
    return Figures(
        counts=tuple(sorted(Figure(*key, cases) for key, cases in counts.items())),
        handling_times=tuple(sorted(_handling_time(*key, spans) for key, spans in days.items())),
    )


def _handling_time(tenant: str, period: str, spans: list[int]) -> HandlingTime:
    return HandlingTime(tenant, period, len(spans), float(statistics.median(spans)), percentile_90(spans))


def percentile_90(spans: list[int]) -> int:
    """The nearest-rank 90th percentile: the smallest value at least 90% of the values are at or below."""
    if not spans:
        raise ValueError("percentile_90 needs at least one value (spans: empty)")
    ordered = sorted(spans)
    rank = -(-9 * len(ordered) // 10)
    return ordered[rank - 1]
