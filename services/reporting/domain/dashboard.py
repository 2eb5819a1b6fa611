"""What the dashboard's overview counts, as tables: open cases by highest step and status, running terms
overdue and due this week, and the breaches recorded on open cases.

These are operational counts of cases that are running now, read from the case list and the case facts.
They are built as :class:`~klachtspoor.disclosure.Table` so the page can show them as they are to the
roles that may read the cases behind them, and protected (:func:`klachtspoor.disclosure.protect`) to the
roles that may read statistics only (docs/dashboard.md, "Disclosure"). Pure: the caller gives "today".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

from contracts.vocabulary import DeadlineKind, EscalationStep
from klachtspoor.disclosure import Table
from services.reporting.domain.figures import UNKNOWN
from services.reporting.domain.status import CaseStatus

OPEN_STATUSES: Final = tuple(status for status in CaseStatus if not status.ended)
"""A case is open until it is withdrawn or closed (a judged case still awaits the measures notice)."""

STEPS: Final = (*(step.value for step in EscalationStep), UNKNOWN)
"""The highest step a case reached, in the order of the contracts' ladder (docs/statistics.md)."""


class DueBucket(StrEnum):
    """When a running, not suspended term falls due, seen from today."""

    OVERDUE = "overdue"
    """Its due date has passed: the step it asks for is late."""
    THIS_WEEK = "this_week"
    """Due from today to Sunday of this week (the Dutch week starts on Monday)."""


@dataclass(frozen=True, slots=True)
class OpenCount:
    status: CaseStatus
    step: str
    cases: int


@dataclass(frozen=True, slots=True)
class DueCount:
    deadline: DeadlineKind
    due_on: date
    terms: int


@dataclass(frozen=True, slots=True)
class BreachCount:
    deadline: DeadlineKind
    cases: int


def week_end(today: date) -> date:
    """Sunday of the week ``today`` lies in."""
    return today + timedelta(days=6 - today.weekday())


def due_range(bucket: DueBucket, today: date) -> tuple[date | None, date]:
    """The due dates a bucket holds, both ends included (no lower end for overdue)."""
    match bucket:
        case DueBucket.OVERDUE:
            return None, today - timedelta(days=1)
        case DueBucket.THIS_WEEK:
            return today, week_end(today)


def bucket_of(due_on: date, today: date) -> DueBucket | None:
    if due_on < today:
        return DueBucket.OVERDUE
    if due_on <= week_end(today):
        return DueBucket.THIS_WEEK
    return None


def open_table(counts: Iterable[OpenCount]) -> Table:
    """Open cases: a row per highest step reached, a column per status (every case once)."""
    found = {(c.step, c.status): c.cases for c in counts}
    extra = sorted({step for step, _ in found} - set(STEPS))
    rows = (*STEPS, *extra)
    grid = tuple(tuple(found.get((step, status), 0) for status in OPEN_STATUSES) for step in rows)
    return Table(rows=rows, columns=tuple(s.value for s in OPEN_STATUSES), counts=grid)


def due_table(counts: Iterable[DueCount], today: date) -> Table:
    """Running terms by kind: overdue and due this week (a case counts once per term kind)."""
    found: dict[tuple[str, DueBucket], int] = {}
    for count in counts:
        bucket = bucket_of(count.due_on, today)
        if bucket is not None:
            key = (count.deadline.value, bucket)
            found[key] = found.get(key, 0) + count.terms
    rows = tuple(kind.value for kind in DeadlineKind)
    grid = tuple(tuple(found.get((kind, bucket), 0) for bucket in DueBucket) for kind in rows)
    return Table(rows=rows, columns=tuple(b.value for b in DueBucket), counts=grid)


BREACHED_COLUMN: Final = "open_cases"


def breach_table(counts: Iterable[BreachCount]) -> Table:
    """Open cases with a breach recorded, by the kind of term breached (once per case and kind)."""
    found = {c.deadline.value: c.cases for c in counts}
    rows = tuple(kind.value for kind in DeadlineKind)
    return Table(rows=rows, columns=(BREACHED_COLUMN,), counts=tuple((found.get(k, 0),) for k in rows))
