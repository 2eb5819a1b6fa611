"""Which days count: weekends, public holidays under the Algemene termijnenwet, and decree days.

The statutory list (Atw art. 3(1) and (2)): New Year's Day, Good Friday, Easter Monday, King's Day (27 April,
26 April when the 27th is a Sunday), Liberation Day (5 May, every year), Ascension Day, Whit Monday,
Christmas Day and Boxing Day. ``holidays`` (NL) supplies most of them with Dutch names, but it lists
Liberation Day only in lustrum years (the day off most collective agreements give), while the Atw counts
5 May every year; Good Friday is added from the Easter date for the same reason, so the list does not
depend on what a version of that package includes. Decree days come from :mod:`.decrees`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import Final
from zoneinfo import ZoneInfo

from holidays.utils import country_holidays
from holidays.version import __version__ as holidays_version

from klachtspoor.calendar.decrees import decree_days

_ONE_DAY: Final = timedelta(days=1)
_SATURDAY: Final = 5
_WEEKDAY_NAMES: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

NETHERLANDS: Final = ZoneInfo("Europe/Amsterdam")
"""The Dutch time zone (CET/CEST): the day on the letter, the day terms count in and the moment a timer
fires are all taken here, never in UTC or the server's zone."""


def local_date(now: datetime) -> date:
    """The Dutch calendar date of ``now``: terms count in the organisation's days, not UTC's. A moment
    without a time zone is refused: ``astimezone`` would silently read it as the machine's local time."""
    if now.tzinfo is None:
        raise ValueError(f"now must be timezone-aware, got {now.isoformat()}")
    return now.astimezone(NETHERLANDS).date()


class CalendarRangeError(ValueError):
    """A date outside the years the holiday data knows: refusing beats a silently wrong due date."""


def easter_sunday(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian algorithm); Good Friday is two days earlier."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    left = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * left) // 451
    month, day = divmod(h + left - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=128)
def _days_off(year: int) -> MappingProxyType[date, str]:
    """Holidays and decree days of one year, by date, with a Dutch label (computed once per year)."""
    found: dict[date, str] = dict(country_holidays("NL", years=year, language="nl").items())
    if date(year, 1, 1) not in found:
        raise CalendarRangeError(f"No Dutch holiday data for year {year} (holidays {holidays_version})")
    found.setdefault(easter_sunday(year) - 2 * _ONE_DAY, "Goede Vrijdag")
    found.setdefault(date(year, 5, 5), "Bevrijdingsdag")
    for day, label in decree_days(year).items():
        found.setdefault(day, label)
    return MappingProxyType(found)


def year_covered(year: int) -> bool:
    """Whether the holiday data knows ``year``: terms computed in it are right, not refused later."""
    try:
        _days_off(year)
    except CalendarRangeError:
        return False
    return True


def holidays_of(year: int) -> dict[date, str]:
    """Every public holiday and decree day of ``year`` (also those on a weekend), in date order."""
    return dict(sorted(_days_off(year).items()))


def holiday_name(day: date) -> str | None:
    """The label of ``day`` when it is a public holiday or decree day, else ``None``."""
    return _days_off(day.year).get(day)


def weekday_name(day: date) -> str:
    """The English weekday name, independent of the process locale (unlike ``strftime("%A")``)."""
    return _WEEKDAY_NAMES[day.weekday()]


def why_not_working(day: date) -> str | None:
    """Why ``day`` is not a working day (for explanations), or ``None`` when it is one."""
    if (name := holiday_name(day)) is not None:
        return name
    if day.weekday() >= _SATURDAY:
        return weekday_name(day)
    return None


def is_working_day(day: date) -> bool:
    """Monday to Friday and neither a public holiday nor a day equated with one."""
    return day.weekday() < _SATURDAY and holiday_name(day) is None


def next_working_day(day: date) -> date:
    """The first working day strictly after ``day``."""
    day += _ONE_DAY
    while not is_working_day(day):
        day += _ONE_DAY
    return day


def on_or_next_working_day(day: date) -> date:
    """``day`` itself when it is a working day, else the next one (Atw art. 1)."""
    return day if is_working_day(day) else next_working_day(day)


def previous_working_day(day: date) -> date:
    """The last working day strictly before ``day``."""
    day -= _ONE_DAY
    while not is_working_day(day):
        day -= _ONE_DAY
    return day


def add_working_days(start: date, count: int) -> date:
    """The ``count``-th working day after ``start`` (counting begins on the first working day after it)."""
    if count < 0:
        raise ValueError(f"Working days to add must be 0 or more: {count} (start: {start.isoformat()})")
    day = start
    for _ in range(count):
        day = next_working_day(day)
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (the days a term from ``start`` to
    ``end`` contains); 0 when ``end`` is not after ``start``.

    Counted from each year's running count of working days (:func:`_working_days_to`), so a long span
    costs no more than a short one: the statistics count the handling days of every case.
    """
    first = start + _ONE_DAY
    if end < first:
        return 0
    whole_years = sum(_working_days_to(year)[-1] for year in range(first.year, end.year))
    return (
        whole_years
        + _working_days_to(end.year)[_day_of_year(end)]
        - _working_days_to(first.year)[_day_of_year(first) - 1]
    )


def _day_of_year(day: date) -> int:
    """1 for 1 January."""
    return day.toordinal() - date(day.year, 1, 1).toordinal() + 1


@lru_cache(maxsize=128)
def _working_days_to(year: int) -> tuple[int, ...]:
    """The working days among the first ``n`` days of ``year``, at index ``n`` (0 to 365 or 366)."""
    counts = [0]
    day = date(year, 1, 1)
    while day.year == year:
        counts.append(counts[-1] + is_working_day(day))
        day += _ONE_DAY
    return tuple(counts)
