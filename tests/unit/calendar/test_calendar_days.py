"""The days the calendar skips: the Atw's statutory holidays, Good Friday, 5 May every year, decree days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from holidays.utils import country_holidays

from klachtspoor.calendar import (
    DECREE_DAYS,
    CalendarRangeError,
    add_working_days,
    decree_covers,
    holiday_name,
    holidays_of,
    is_working_day,
    local_date,
    next_working_day,
    on_or_next_working_day,
    previous_working_day,
    working_days_between,
)
from klachtspoor.calendar.days import easter_sunday


@pytest.mark.parametrize(
    ("year", "weekday_holidays"),
    [
        # Weekday holidays and decree days only (the ones that change a count), from a printed calendar.
        (2026, ["01-01", "01-02", "04-03", "04-06", "04-27", "05-05", "05-14", "05-15", "05-25", "12-25"]),
        (2027, ["01-01", "03-26", "03-29", "04-27", "05-05", "05-06", "05-07", "05-17"]),
        (2028, ["04-14", "04-17", "04-27", "04-28", "05-05", "05-25", "05-26", "06-05", "12-25", "12-26"]),
    ],
)
def test_weekday_holidays_of_decree_years(year: int, weekday_holidays: list[str]) -> None:
    found = [d.strftime("%m-%d") for d in holidays_of(year) if d.weekday() < 5]
    assert found == weekday_holidays


@pytest.mark.parametrize("year", range(2020, 2041))
def test_liberation_day_counts_every_year_not_only_lustrum_years(year: int) -> None:
    assert holiday_name(date(year, 5, 5)) == "Bevrijdingsdag"


@pytest.mark.parametrize("year", range(2020, 2041))
def test_good_friday_and_easter_monday_follow_easter(year: int) -> None:
    easter = easter_sunday(year)
    assert holiday_name(easter - timedelta(days=2)) is not None
    assert holiday_name(easter + timedelta(days=1)) is not None
    assert not is_working_day(easter - timedelta(days=2))


def test_easter_algorithm_agrees_with_the_holidays_package() -> None:
    for year in range(1970, 2100):
        package = {d for d, name in country_holidays("NL", years=year).items() if name == "Easter Sunday"}
        assert package == {easter_sunday(year)}, year


@pytest.mark.parametrize("year", [2025, 2031, 2036])
def test_kings_day_moves_to_26_april_when_27_april_is_a_sunday(year: int) -> None:
    assert date(year, 4, 27).weekday() == 6
    assert holiday_name(date(year, 4, 26)) == "Koningsdag"
    assert holiday_name(date(year, 4, 27)) is None


def test_kings_day_is_27_april_otherwise() -> None:
    assert holiday_name(date(2026, 4, 27)) == "Koningsdag"
    assert holiday_name(date(2026, 4, 26)) is None


def test_decree_days_are_holidays_and_name_their_decree() -> None:
    assert [d.day for d in DECREE_DAYS] == [
        date(2026, 1, 2),
        date(2026, 5, 15),
        date(2027, 5, 7),
        date(2028, 4, 28),
        date(2028, 5, 26),
    ]
    for decree_day in DECREE_DAYS:
        assert decree_day.day.weekday() == 4, decree_day  # all Fridays: bridge days
        assert not is_working_day(decree_day.day)
        assert decree_day.decree.title in (holiday_name(decree_day.day) or "")


def test_no_decree_day_outside_the_decree_years() -> None:
    # The Friday after Ascension 2029 (10 May) is a working day until a decree equates it.
    assert is_working_day(date(2029, 5, 11))


@pytest.mark.parametrize(
    ("year", "covered"), [(2025, False), (2026, True), (2027, True), (2028, True), (2029, False)]
)
def test_decree_covers(year: int, covered: bool) -> None:
    assert decree_covers(year) is covered


def test_outside_the_holiday_data_the_calendar_refuses() -> None:
    with pytest.raises(CalendarRangeError, match="2300"):
        is_working_day(date(2300, 1, 3))


def test_weekends_and_working_days() -> None:
    assert is_working_day(date(2026, 6, 1))  # Monday
    assert not is_working_day(date(2026, 6, 6))  # Saturday
    assert not is_working_day(date(2026, 6, 7))  # Sunday


def test_next_and_previous_working_day_skip_holiday_clusters() -> None:
    assert next_working_day(date(2027, 5, 4)) == date(2027, 5, 10)  # 5 May, Ascension, decree Friday, weekend
    assert previous_working_day(date(2027, 5, 10)) == date(2027, 5, 4)
    assert next_working_day(date(2026, 6, 1)) == date(2026, 6, 2)  # strictly after
    assert on_or_next_working_day(date(2026, 6, 1)) == date(2026, 6, 1)
    assert on_or_next_working_day(date(2026, 12, 25)) == date(2026, 12, 28)


def test_working_days_between_counts_after_start_up_to_end() -> None:
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 31)) == 4  # 28, 29, 30, 31
    assert working_days_between(date(2026, 5, 13), date(2026, 5, 18)) == 1  # Ascension, decree, weekend
    assert working_days_between(date(2026, 6, 1), date(2026, 6, 1)) == 0
    assert working_days_between(date(2026, 6, 5), date(2026, 6, 1)) == 0


def test_add_working_days() -> None:
    assert add_working_days(date(2026, 12, 23), 2) == date(2026, 12, 28)
    assert add_working_days(date(2026, 12, 23), 0) == date(2026, 12, 23)
    with pytest.raises(ValueError, match="-1"):
        add_working_days(date(2026, 12, 23), -1)


def test_the_dutch_date_of_a_moment_is_taken_in_amsterdam() -> None:
    # 23:30 UTC on 31 December is already 1 January in the Netherlands (UTC+1 in winter).
    assert local_date(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == date(2027, 1, 1)
    # 21:59 UTC on 30 June is 23:59 in summer time: still 30 June.
    assert local_date(datetime(2026, 6, 30, 21, 59, tzinfo=UTC)) == date(2026, 6, 30)


def test_a_moment_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        local_date(datetime(2026, 12, 31, 23, 30))
