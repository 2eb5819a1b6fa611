"""Term lengths the workflow uses until procedure policies supply them, and the one call to the calendar.

Every due date the domain derives goes through :func:`due_date`, so the calendar behind it is one line.
"""

from __future__ import annotations

from datetime import date, timedelta

import holidays

from contracts.values import Term
from contracts.vocabulary import TermUnit

DEFAULT_FIRST_CONTACT_TERM = Term(amount=2, unit=TermUnit.WORKING_DAYS)
"""First contact within 2 working days (one of the published procedures); a policy setting later."""


def due_date(start: date, term: Term) -> date:
    """The due date of ``term`` started on ``start``, on the Dutch working-day calendar."""
    return _interim_add_term(start, term)


def _interim_add_term(start: date, term: Term) -> date:
    """Stand-in for the shared calendar: working days only (weekends and ``holidays.NL``)."""
    if term.unit is not TermUnit.WORKING_DAYS:
        raise NotImplementedError(f"Term {term.amount} {term.unit.value} needs the shared calendar")
    day, left = start, term.amount
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays.country_holidays("NL", years=day.year):
            left -= 1
    return day
