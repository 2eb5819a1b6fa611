"""Term lengths the workflow uses until procedure policies supply them, and the one call to the calendar.

Every due date the domain derives goes through :func:`due_date`, so the calendar behind it is one line.
"""

from __future__ import annotations

from datetime import date

from contracts.values import Term
from contracts.vocabulary import TermUnit
from klachtspoor.calendar import add_term

DEFAULT_FIRST_CONTACT_TERM = Term(amount=2, unit=TermUnit.WORKING_DAYS)
"""First contact within 2 working days (one of the published procedures); a policy setting later."""


def due_date(start: date, term: Term) -> date:
    """The due date of ``term`` started on ``start`` on the Dutch working-day calendar (Atw applied)."""
    return add_term(start, term).on
