"""The periods a report covers and how they are named in Dutch.

A report's period is a year (``2026``) or a quarter (``2026-Q1``), as the statistics count them
(:class:`~services.reporting.domain.tables.Period`). Columns are always disjoint periods (a case or
contact counts in exactly one), so a table's row total is a figure of its own and never the sum of
figures another table publishes.
"""

from __future__ import annotations

from klachtspoor.calendar.notation_nl import MONTHS
from services.reporting.domain.tables import Period

LAST_DAYS = (31, 30, 30, 31)
"""The last day of each quarter's last month (March, June, September, December)."""


def last_quarter(period: Period) -> int:
    return 4 if period.quarter is None else period.quarter


def quarters_so_far(period: Period) -> tuple[str, ...]:
    """The quarters of the period's year up to and including its last one (``2026-Q1`` … ``2026-Q3``)."""
    return tuple(f"{period.year}-Q{q}" for q in range(1, last_quarter(period) + 1))


def years_before(period: Period, count: int) -> tuple[str, ...]:
    """The ``count`` years before the period's year, oldest first."""
    return tuple(str(period.year - back) for back in range(count, 0, -1))


def quarter_label(code: str) -> str:
    """``2026-Q1`` as people read it: ``1e kwartaal 2026``."""
    year, _, quarter = code.partition("-Q")
    return f"{quarter}e kwartaal {year}"


def in_period(code: str) -> str:
    """``in 2026``, or ``in het 1e kwartaal van 2026``: a period in a Dutch sentence."""
    if "-Q" not in code:
        return f"in {code}"
    year, _, quarter = code.partition("-Q")
    return f"in het {quarter}e kwartaal van {year}"


def column_label(code: str) -> str:
    return quarter_label(code) if "-Q" in code else code


def period_label(period: Period) -> str:
    """``1 januari tot en met 31 december 2026``, or for a quarter ``1e kwartaal 2026 (1 januari tot en
    met 31 maart 2026)``."""
    if period.quarter is None:
        return f"1 januari tot en met 31 december {period.year}"
    first = MONTHS[3 * period.quarter - 3]
    last = MONTHS[3 * period.quarter - 1]
    days = f"1 {first} tot en met {LAST_DAYS[period.quarter - 1]} {last} {period.year}"
    return f"{quarter_label(str(period))} ({days})"
