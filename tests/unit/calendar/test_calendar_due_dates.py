"""Hand-checked due dates around the holidays of 2026–2028, month ends, the 2-working-day rule and the
terms the Atw leaves alone. Each expected date was reasoned from a printed calendar; the comment says how."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.values import Term
from contracts.vocabulary import TermUnit
from klachtspoor.calendar import Adjustment, AtwStatus, add_term, parse_term

D = date.fromisoformat

HOLIDAY_CASES = [
    # Christmas and New Year
    (
        "2026-12-23",
        "2wd",
        "2026-12-28",
        "Wed; Thu 24 = 1, Fri 25 Christmas, weekend (26 Boxing Day), Mon 28 = 2",
    ),
    ("2026-12-24", "1wd", "2026-12-28", "Thu; Christmas Fri, Boxing Day Sat, Sun"),
    ("2025-12-31", "1wd", "2026-01-05", "Wed; Thu 1 Jan, Fri 2 Jan decree day, weekend"),
    ("2026-12-18", "1w", "2026-12-28", "Fri + 7 = Fri 25 Christmas, Sat 26 Boxing Day, Sun"),
    ("2027-12-24", "1d", "2027-12-27", "Fri + 1 = Sat 25 Christmas, Sun 26 Boxing Day; 1 day: no art. 2"),
    ("2027-12-31", "1d", "2028-01-03", "Fri + 1 = Sat 1 Jan, Sun"),
    ("2027-12-27", "3d", "2027-12-30", "Mon + 3 = Thu, a working day; 3 working days in the term"),
    # Easter
    (
        "2026-04-02",
        "3d",
        "2026-04-08",
        "Thu + 3 = Easter Sunday, Easter Monday -> Tue 7; only Tue 7 works -> Wed 8",
    ),
    ("2026-03-27", "1w", "2026-04-07", "Fri + 7 = Good Friday, weekend, Easter Monday"),
    (
        "2027-03-25",
        "2wd",
        "2027-03-31",
        "Thu; Good Friday 26, weekend, Easter Monday 29, Tue 30 = 1, Wed 31 = 2",
    ),
    ("2028-04-13", "1wd", "2028-04-18", "Thu; Good Friday 14, weekend, Easter Monday 17"),
    # King's Day (2025: 27 April is a Sunday, so King's Day is Saturday 26 April)
    ("2025-04-25", "1wd", "2025-04-28", "Fri; Sat 26 King's Day, Sun 27"),
    ("2026-04-24", "3d", "2026-04-29", "Fri + 3 = Mon 27 King's Day -> Tue 28; only Tue 28 works -> Wed 29"),
    ("2028-04-26", "1wd", "2028-05-01", "Wed; Thu 27 King's Day, Fri 28 decree day, weekend"),
    ("2027-04-20", "1w", "2027-04-28", "Tue + 7 = Tue 27 King's Day"),
    # Liberation Day (every year, also outside lustrum years)
    ("2026-04-28", "1w", "2026-05-06", "Tue + 7 = Tue 5 May"),
    ("2027-05-04", "1wd", "2027-05-10", "Tue; Wed 5 May, Thu Ascension, Fri 7 decree day, weekend"),
    ("2028-05-04", "1d", "2028-05-08", "Thu + 1 = Fri 5 May, weekend"),
    ("2028-05-04", "4d", "2028-05-09", "Thu + 4 = Mon 8, a working day, but the only one -> Tue 9 (art. 2)"),
    # Ascension and the decree Friday
    (
        "2026-05-13",
        "3d",
        "2026-05-19",
        "Wed + 3 = Sat 16 -> Mon 18; Thu Ascension, Fri decree: one working day",
    ),
    (
        "2026-05-11",
        "3wd",
        "2026-05-18",
        "Mon; Tue 12 = 1, Wed 13 = 2, Ascension, decree day, weekend, Mon 18 = 3",
    ),
    ("2028-05-19", "1w", "2028-05-29", "Fri + 7 = Fri 26 decree day, weekend"),
    ("2027-04-30", "1w", "2027-05-10", "Fri + 7 = Fri 7 May decree day, weekend"),
    # Whitsun
    ("2026-05-18", "1w", "2026-05-26", "Mon + 7 = Whit Monday 25"),
    ("2027-05-14", "1wd", "2027-05-18", "Fri; weekend, Whit Monday 17"),
    ("2028-06-02", "3d", "2028-06-07", "Fri + 3 = Whit Monday 5 -> Tue 6; the only working day -> Wed 7"),
]

MONTH_CASES = [
    ("2026-01-31", "1m", "2026-03-02", "28 Feb 2026 is a Saturday -> Mon 2 Mar"),
    ("2028-01-31", "1m", "2028-02-29", "leap year; Tue 29 Feb"),
    ("2027-01-31", "1m", "2027-03-01", "28 Feb 2027 is a Sunday -> Mon 1 Mar"),
    ("2026-03-31", "1m", "2026-04-30", "April has 30 days; Thursday"),
    ("2026-11-30", "3m", "2027-03-01", "28 Feb 2027 (Sunday); 3 months still follows the Atw"),
    ("2026-08-31", "6m", "2027-02-28", "28 Feb 2027 (Sunday) stays: more than 3 months (art. 4)"),
    ("2028-02-29", "1y", "2029-02-28", "no 29 Feb in 2029; years never move"),
]

EXEMPT_CASES = [
    ("2026-01-03", "90d", "2026-04-07", "Sat + 90 = Good Friday -> Tue 7 after Easter Monday"),
    ("2026-01-03", "91d", "2026-04-04", "Sat + 91 = Saturday, not moved: more than 90 days"),
    ("2026-01-09", "12w", "2026-04-07", "Fri + 12 weeks = Good Friday -> Tue 7"),
    ("2026-01-03", "13w", "2026-04-04", "Sat + 13 weeks = Saturday, not moved: more than 12 weeks"),
    ("2026-04-02", "24h", "2026-04-03", "hours: Good Friday, not moved"),
    ("2026-04-02", "36h", "2026-04-04", "36 hours from any time on Thursday end on Saturday at the latest"),
    ("2026-05-14", "1y", "2027-05-14", "a year; Friday 14 May 2027"),
]


@pytest.mark.parametrize(("received", "term", "expected", "why"), HOLIDAY_CASES + MONTH_CASES + EXEMPT_CASES)
def test_due_date(received: str, term: str, expected: str, why: str) -> None:
    assert add_term(D(received), parse_term(term)).on == D(expected), why


def test_moved_and_why() -> None:
    due = add_term(D("2026-04-02"), parse_term("3d"))
    assert due.counted_on == D("2026-04-05")
    assert due.moved
    assert due.atw is AtwStatus.APPLIED
    assert due.adjustments == (Adjustment.NON_WORKING_END, Adjustment.TWO_WORKING_DAYS)
    assert any("Tweede paasdag" in line for line in due.explanation)


def test_two_working_day_rule_alone() -> None:
    # Fri 24 Dec 2027 + 3 days = Mon 27, a working day, but Sat 25 and Sun 26 are Christmas: one working day.
    due = add_term(D("2027-12-24"), parse_term("3d"))
    assert due.on == D("2027-12-28")
    assert due.adjustments == (Adjustment.TWO_WORKING_DAYS,)


def test_two_working_day_rule_needs_three_days() -> None:
    # Thu 24 Dec 2026 + 2 days = Sat 26 -> Mon 28: one working day is enough for a 2-day term.
    due = add_term(D("2026-12-24"), parse_term("2d"))
    assert due.on == D("2026-12-28")
    assert due.adjustments == (Adjustment.NON_WORKING_END,)
    # The same start with 3 days needs a second working day.
    assert add_term(D("2026-12-24"), parse_term("3d")).on == D("2026-12-29")


def test_a_working_day_end_is_not_moved() -> None:
    due = add_term(D("2026-06-01"), Term(amount=6, unit=TermUnit.WEEKS))
    assert due.on == due.counted_on == D("2026-07-13")
    assert not due.moved
    assert due.adjustments == ()


@pytest.mark.parametrize(
    ("term", "status"),
    [
        ("24h", AtwStatus.HOURS),
        ("1y", AtwStatus.YEARS),
        ("91d", AtwStatus.OVER_90_DAYS),
        ("13w", AtwStatus.OVER_12_WEEKS),
        ("4m", AtwStatus.OVER_3_MONTHS),
        ("90d", AtwStatus.APPLIED),
        ("12w", AtwStatus.APPLIED),
        ("3m", AtwStatus.APPLIED),
    ],
)
def test_where_the_atw_applies(term: str, status: AtwStatus) -> None:
    assert add_term(D("2026-06-01"), parse_term(term)).atw is status


def test_procedure_only_term_that_opts_out_is_not_moved() -> None:
    due = add_term(D("2026-03-27"), parse_term("1w"), follows_atw=False)
    assert due.on == D("2026-04-03")  # Good Friday
    assert due.atw is AtwStatus.OPTED_OUT
    assert not due.moved


def test_working_days_skip_holidays_even_when_the_atw_is_opted_out() -> None:
    assert add_term(D("2027-05-04"), parse_term("1wd"), follows_atw=False).on == D("2027-05-10")


def test_decree_warning_for_years_no_decree_covers() -> None:
    covered = add_term(D("2027-05-04"), parse_term("1wd"))
    assert not covered.decree_warning
    uncovered = add_term(D("2029-05-09"), parse_term("1wd"))
    assert uncovered.on == D("2029-05-11")  # Thu 10 Ascension; Friday 11 not (yet) equated
    assert uncovered.decree_warning
    assert uncovered.uncovered_years == (2029,)
    assert any("2029" in line and "decree" in line for line in uncovered.explanation)


def test_no_decree_warning_when_the_calendar_was_not_consulted() -> None:
    assert not add_term(D("2029-05-09"), parse_term("24h")).decree_warning
    assert not add_term(D("2025-05-09"), parse_term("1y")).decree_warning
    assert not add_term(D("2025-05-09"), parse_term("2w"), follows_atw=False).decree_warning


def test_decree_warning_only_for_years_whose_days_mattered() -> None:
    # Six weeks from Sat 20 Dec 2025 end in 2026; the 2025 days cannot change the result.
    assert not add_term(D("2025-12-20"), parse_term("6w")).decree_warning
    # Three days from Tue 30 Dec 2025: the 2025 days count towards art. 2.
    assert add_term(D("2025-12-30"), parse_term("3d")).uncovered_years == (2025,)
