"""Due dates of terms under the Algemene termijnenwet (Atw), and the clock operations deciders need.

Counting first, then the Atw:
- working days: the n-th working day after the day of receipt;
- days and weeks: from the day of receipt (received Monday + 1 week = next Monday);
- months and years: the same day number, or the month's last day when it is shorter (31 Jan + 1 month =
  28/29 Feb);
- hours: only the date of receipt is known, so the due date is the last date on which the term can end.
Then, where it applies, the Atw moves an end on a Saturday, Sunday or holiday to the next working day
(art. 1) and stretches a term of 3 days or more until it contains 2 working days (art. 2). It does not
apply (art. 4) to hours, years, or more than 90 days, 12 weeks or 3 months; a procedure-only term whose
policy opts out is counted as is (``follows_atw=False``).

Everything here is a pure function of its arguments: due dates are derived from events each time, never
stored as state that could drift.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache
from math import ceil, floor
from typing import assert_never

from pydantic import BaseModel, ConfigDict

from contracts.values import Term
from contracts.vocabulary import TermUnit
from klachtspoor.calendar.days import (
    add_working_days,
    is_working_day,
    on_or_next_working_day,
    previous_working_day,
    weekday_name,
    why_not_working,
)
from klachtspoor.calendar.decrees import decree_covers
from klachtspoor.calendar.notation import format_term

_HOURS_PER_DAY = 24
_UNKNOWN_DECREE_DAYS = 3
"""How many working days a missing decree could plausibly take out of one period (it equates bridge days,
at most a couple per cluster of holidays): art. 2 depends on a year's decree only for a period with fewer
than 2 + this many working days, so only then does a missing decree raise the warning."""
_ATW_MAX = {TermUnit.DAYS: 90, TermUnit.WEEKS: 12, TermUnit.MONTHS: 3}


class AtwStatus(StrEnum):
    """Whether the Atw governed the due date, and if not, why."""

    APPLIED = "applied"
    OPTED_OUT = "opted_out"
    """A term only a procedure sets, whose policy does not follow the Atw."""
    HOURS = "hours"
    YEARS = "years"
    OVER_90_DAYS = "over_90_days"
    OVER_12_WEEKS = "over_12_weeks"
    OVER_3_MONTHS = "over_3_months"


class Adjustment(StrEnum):
    """Why the Atw moved a due date."""

    NON_WORKING_END = "non_working_end"
    """Art. 1: the term ended on a Saturday, Sunday or holiday."""
    TWO_WORKING_DAYS = "two_working_days"
    """Art. 2: a term of 3 days or more must contain at least 2 working days."""


class DueDate(BaseModel):
    """A computed due date with its reasoning.

    ``counted_on`` is the end by counting alone; ``on`` the due date after the Atw. ``uncovered_years``
    lists the years whose days the computation relied on but no decree covers: their equated days are
    unknown, so the date may be too early (``decree_warning``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    on: date
    counted_on: date
    atw: AtwStatus
    adjustments: tuple[Adjustment, ...] = ()
    uncovered_years: tuple[int, ...] = ()
    explanation: tuple[str, ...] = ()

    @property
    def moved(self) -> bool:
        return self.on != self.counted_on

    @property
    def decree_warning(self) -> bool:
        return bool(self.uncovered_years)


_CACHED = 65_536
"""Due dates and warning days kept per argument: a replay or rebuild derives the same few thousand (a day
of receipt, a term) again for every case, and each costs a walk over the calendar and an explanation.
They are pure functions of frozen values, so a kept result is the result."""


def add_term(received: date, term: Term, *, follows_atw: bool = True) -> DueDate:
    """The due date of ``term`` for something received on ``received``."""
    return _add_term(received, term, follows_atw)


@lru_cache(maxsize=_CACHED)
def _add_term(received: date, term: Term, follows_atw: bool) -> DueDate:
    counted, rule = _count(received, term)
    status = _atw_status(term, follows_atw)
    lines = [f"{format_term(term)} from {_day(received)}: {rule}", f"counted end: {_day(counted)}"]
    consulted: list[tuple[date, date]] = []
    if term.unit is TermUnit.WORKING_DAYS:
        consulted.append((received + timedelta(days=1), counted))
    on, adjustments = counted, list[Adjustment]()
    if status is AtwStatus.APPLIED:
        on, adjustments = _apply_atw(received, term, counted, lines, consulted)
    else:
        lines.append(_not_applied(status))
    return _finish(on, counted, status, adjustments, consulted, lines)


def extend(due: DueDate | date, term: Term, *, follows_atw: bool = True) -> DueDate:
    """The due date after extending a term by ``term`` (verlenging), counted from the day the term ends.

    Never shortens: every term is at least one day, so the result is always after the current due date.
    """
    current = due.on if isinstance(due, DueDate) else due
    extended = add_term(current, term, follows_atw=follows_atw)
    return extended.model_copy(
        update={"explanation": (f"extension of the term ending {_day(current)}", *extended.explanation)}
    )


def resume(due_on: date, suspended_on: date, resumed_on: date, *, follows_atw: bool = True) -> DueDate:
    """The due date after a suspension (opschorting) from ``suspended_on`` to ``resumed_on``.

    The clock continues where it stopped: every calendar day the term was suspended is added to the due
    date, and when the Atw applies an end on a non-working day moves to the next working day (pass
    ``follows_atw=False`` for a term the Atw did not govern). Call it once per suspension, with the due
    date the previous one produced.
    """
    if resumed_on < suspended_on:
        raise ValueError(
            f"Resumed before suspended: resumed on {resumed_on.isoformat()}, suspended on "
            f"{suspended_on.isoformat()} (due on {due_on.isoformat()})"
        )
    paused = (resumed_on - suspended_on).days
    counted = due_on + timedelta(days=paused)
    lines = [
        f"suspended {_day(suspended_on)} to {_day(resumed_on)}: {paused} day(s) added to {_day(due_on)}",
        f"counted end: {_day(counted)}",
    ]
    on, adjustments, consulted = counted, list[Adjustment](), list[tuple[date, date]]()
    if follows_atw:
        on = _move_off_non_working(counted, lines, adjustments, consulted)
    else:
        lines.append(_not_applied(AtwStatus.OPTED_OUT))
    status = AtwStatus.APPLIED if follows_atw else AtwStatus.OPTED_OUT
    return _finish(on, counted, status, adjustments, consulted, lines)


def warning_date(start: date, due: date, share: float = 0.75) -> date:
    """The day to warn that a term from ``start`` to ``due`` is running out: after ``share`` of its
    calendar days, moved back to the previous working day when it falls on a day nobody works (a warning
    is only useful when someone reads it), but never before ``start``."""
    return _warning_date(start, due, share)


@lru_cache(maxsize=_CACHED)
def _warning_date(start: date, due: date, share: float) -> date:
    if not 0 < share <= 1:
        raise ValueError(f"Warning share must be above 0 and at most 1: {share} (term {start} to {due})")
    if due < start:
        raise ValueError(f"Due date before start: due {due.isoformat()}, start {start.isoformat()}")
    elapsed = floor((due - start).days * Fraction(share).limit_denominator(1000))
    moment = start + timedelta(days=elapsed)
    if is_working_day(moment):
        return moment
    earlier = previous_working_day(moment)
    return earlier if earlier >= start else moment


def add_months(day: date, months: int) -> date:
    """Same day number ``months`` later, or that month's last day when it is shorter."""
    year, month_index = divmod(day.month - 1 + months, 12)
    year += day.year
    month = month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _finish(
    on: date,
    counted: date,
    status: AtwStatus,
    adjustments: list[Adjustment],
    consulted: list[tuple[date, date]],
    lines: list[str],
) -> DueDate:
    """The result, with the decree warning for the years whose days were ``consulted``."""
    years = {year for first, last in consulted for year in range(first.year, last.year + 1)}
    uncovered = tuple(sorted(year for year in years if not decree_covers(year)))
    if uncovered:
        listed = ", ".join(str(year) for year in uncovered)
        lines.append(
            f"warning: no decree of equated days covers {listed}; only the statutory holidays were used"
        )
    lines.append(f"due date: {_day(on)}")
    return DueDate(
        on=on,
        counted_on=counted,
        atw=status,
        adjustments=tuple(adjustments),
        uncovered_years=uncovered,
        explanation=tuple(lines),
    )


def _count(received: date, term: Term) -> tuple[date, str]:
    """The end by counting alone, with the counting rule in words."""
    n = term.amount
    match term.unit:
        case TermUnit.HOURS:
            days = ceil(n / _HOURS_PER_DAY)
            return received + timedelta(days=days), "hours from an unknown time of day end at the latest date"
        case TermUnit.WORKING_DAYS:
            return add_working_days(received, n), "counting starts on the first working day after receipt"
        case TermUnit.DAYS:
            return received + timedelta(days=n), "counted from the day of receipt"
        case TermUnit.WEEKS:
            return received + timedelta(weeks=n), "counted from the day of receipt"
        case TermUnit.MONTHS:
            return add_months(received, n), "same day number, or the last day of a shorter month"
        case TermUnit.YEARS:
            return add_months(received, 12 * n), "same day number, or the last day of a shorter month"
        case _:
            assert_never(term.unit)


def _atw_status(term: Term, follows_atw: bool) -> AtwStatus:
    match term.unit:
        case TermUnit.HOURS:
            return AtwStatus.HOURS
        case TermUnit.YEARS:
            return AtwStatus.YEARS
        case TermUnit.DAYS if term.amount > _ATW_MAX[TermUnit.DAYS]:
            return AtwStatus.OVER_90_DAYS
        case TermUnit.WEEKS if term.amount > _ATW_MAX[TermUnit.WEEKS]:
            return AtwStatus.OVER_12_WEEKS
        case TermUnit.MONTHS if term.amount > _ATW_MAX[TermUnit.MONTHS]:
            return AtwStatus.OVER_3_MONTHS
        case TermUnit.WORKING_DAYS | TermUnit.DAYS | TermUnit.WEEKS | TermUnit.MONTHS:
            return AtwStatus.APPLIED if follows_atw else AtwStatus.OPTED_OUT
        case _:
            assert_never(term.unit)


def _at_least_three_days(term: Term) -> bool:
    """Whether Atw art. 2 (at least 2 working days) governs the term."""
    return term.unit in (TermUnit.WEEKS, TermUnit.MONTHS) or term.amount >= 3


def _apply_atw(
    received: date, term: Term, counted: date, lines: list[str], consulted: list[tuple[date, date]]
) -> tuple[date, list[Adjustment]]:
    adjustments: list[Adjustment] = []
    on = _move_off_non_working(counted, lines, adjustments, consulted)
    if _at_least_three_days(term):
        second = add_working_days(received, 2)
        if second > on:
            adjustments.append(Adjustment.TWO_WORKING_DAYS)
            lines.append(
                f"Atw art. 2: a term of 3 days or more contains 2 working days; moved to {_day(second)}"
            )
            on = second
        if add_working_days(received, 2 + _UNKNOWN_DECREE_DAYS) > on:
            consulted.append((received + timedelta(days=1), on))
    return on, adjustments


def _move_off_non_working(
    counted: date, lines: list[str], adjustments: list[Adjustment], consulted: list[tuple[date, date]]
) -> date:
    on = on_or_next_working_day(counted)
    consulted.append((counted, on))
    if on != counted:
        skipped = [_day(d, why_not_working(d)) for d in _days(counted, on) if d != on]
        adjustments.append(Adjustment.NON_WORKING_END)
        lines.append(f"Atw art. 1: {'; '.join(skipped)}; moved to the next working day {_day(on)}")
    return on


def _not_applied(status: AtwStatus) -> str:
    reason = {
        AtwStatus.OPTED_OUT: "the procedure's policy does not follow it for this term",
        AtwStatus.HOURS: "a term in hours (art. 4)",
        AtwStatus.YEARS: "a term in years (art. 4)",
        AtwStatus.OVER_90_DAYS: "a term of more than 90 days (art. 4)",
        AtwStatus.OVER_12_WEEKS: "a term of more than 12 weeks (art. 4)",
        AtwStatus.OVER_3_MONTHS: "a term of more than 3 months (art. 4)",
    }.get(status, status.value)
    return f"Atw not applied: {reason}"


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _day(day: date, holiday: str | None = None) -> str:
    """``2026-04-06 (Monday, Tweede paasdag)``: English prose, Dutch holiday names."""
    note = f", {holiday}" if holiday is not None and holiday != weekday_name(day) else ""
    return f"{day.isoformat()} ({weekday_name(day)}{note})"
