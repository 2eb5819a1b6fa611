"""The Dutch working-day calendar and term arithmetic under the Algemene termijnenwet (Atw).

Pure: no I/O and no clock. Deciders derive due dates from events with :func:`add_term`, :func:`extend`
and :func:`resume`; timers pick the warning moment with :func:`warning_date`. The Dutch time zone
(:data:`NETHERLANDS`, :func:`local_date`) and the holiday list are in :mod:`.days`, the days equated by
decree in :mod:`.decrees` (one line per day).
"""

from klachtspoor.calendar.days import (
    NETHERLANDS,
    CalendarRangeError,
    add_working_days,
    holiday_name,
    holidays_of,
    is_working_day,
    local_date,
    next_working_day,
    on_or_next_working_day,
    previous_working_day,
    working_days_between,
    year_covered,
)
from klachtspoor.calendar.decrees import DECREE_DAYS, DECREES, decree_covers
from klachtspoor.calendar.notation import TermNotationError, format_term, parse_term
from klachtspoor.calendar.terms import (
    Adjustment,
    AtwStatus,
    DueDate,
    add_months,
    add_term,
    extend,
    resume,
    warning_date,
)

__all__ = [
    "DECREES",
    "DECREE_DAYS",
    "NETHERLANDS",
    "Adjustment",
    "AtwStatus",
    "CalendarRangeError",
    "DueDate",
    "TermNotationError",
    "add_months",
    "add_term",
    "add_working_days",
    "decree_covers",
    "extend",
    "format_term",
    "holiday_name",
    "holidays_of",
    "is_working_day",
    "local_date",
    "next_working_day",
    "on_or_next_working_day",
    "parse_term",
    "previous_working_day",
    "resume",
    "warning_date",
    "working_days_between",
    "year_covered",
]
