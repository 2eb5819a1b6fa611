"""Extension, suspension and the warning moment."""

from __future__ import annotations

from datetime import date

import pytest

from klachtspoor.calendar import AtwStatus, add_term, extend, parse_term, resume, warning_date

D = date.fromisoformat


def test_extension_counts_from_the_current_due_date() -> None:
    # Wkkgz: 6 weeks, extended once by 4 weeks. Received Mon 6 Apr 2026 (Easter Monday).
    first = add_term(D("2026-04-06"), parse_term("6w"))
    assert first.on == D("2026-05-18")  # Mon + 6 weeks = Mon 18 May, a working day
    extended = extend(first, parse_term("4w"))
    assert extended.on == D("2026-06-15")
    assert extended.explanation[0].startswith("extension of the term ending 2026-05-18")


def test_extension_from_a_plain_date_is_moved_by_the_atw() -> None:
    # Thu 7 May 2026 + 1 week = Thu 14 May Ascension; Fri 15 decree day, weekend.
    assert extend(D("2026-05-07"), parse_term("1w")).on == D("2026-05-18")
    assert extend(D("2026-05-07"), parse_term("1w"), follows_atw=False).on == D("2026-05-14")


def test_resume_adds_the_suspended_days() -> None:
    due = resume(D("2026-06-15"), suspended_on=D("2026-06-01"), resumed_on=D("2026-06-08"))
    assert due.on == D("2026-06-22")
    assert due.counted_on == D("2026-06-22")
    assert not due.moved


def test_resume_moves_an_end_on_a_holiday() -> None:
    # Due Mon 18 May 2026; suspended 4 to 8 May (4 days): Fri 22 May; 4 to 11 May (7 days): Whit Monday.
    assert resume(D("2026-05-18"), D("2026-05-04"), D("2026-05-08")).on == D("2026-05-22")
    moved = resume(D("2026-05-18"), D("2026-05-04"), D("2026-05-11"))
    assert moved.counted_on == D("2026-05-25")
    assert moved.on == D("2026-05-26")
    assert moved.atw is AtwStatus.APPLIED
    unmoved = resume(D("2026-05-18"), D("2026-05-04"), D("2026-05-11"), follows_atw=False)
    assert unmoved.on == D("2026-05-25")


def test_resume_on_the_day_of_suspension_changes_nothing() -> None:
    assert resume(D("2026-06-15"), D("2026-06-03"), D("2026-06-03")).on == D("2026-06-15")


def test_resume_before_suspension_is_refused() -> None:
    with pytest.raises(ValueError, match=r"2026-06-02.*2026-06-03"):
        resume(D("2026-06-15"), suspended_on=D("2026-06-03"), resumed_on=D("2026-06-02"))


def test_warning_at_three_quarters_of_the_term() -> None:
    # 6 weeks = 42 days; 75% = 31.5 -> 31 days after Mon 1 Jun 2026 = Thu 2 Jul.
    assert warning_date(D("2026-06-01"), D("2026-07-13")) == D("2026-07-02")
    assert warning_date(D("2026-06-01"), D("2026-07-13"), share=0.5) == D("2026-06-22")  # 21 days: Monday
    assert warning_date(D("2026-06-01"), D("2026-07-13"), share=1) == D("2026-07-13")


def test_warning_on_a_non_working_day_moves_back() -> None:
    # 20 days after Mon 1 Jun 2026 is Sun 21 Jun -> Fri 19 Jun.
    assert warning_date(D("2026-06-01"), D("2026-06-21"), share=1) == D("2026-06-19")
    # Never before the start: a term from Sat to Sun warns on its own days.
    assert warning_date(D("2026-06-06"), D("2026-06-07"), share=1) == D("2026-06-07")


def test_warning_share_is_exact_for_decimal_shares() -> None:
    # 0.29 * 100 is 28.999999999999996 in floating point; the warning comes after 29 days.
    assert warning_date(D("2026-06-01"), D("2026-09-09"), share=0.29) == D("2026-06-30")


@pytest.mark.parametrize("share", [0, -0.5, 1.5])
def test_warning_share_out_of_range(share: float) -> None:
    with pytest.raises(ValueError, match="share"):
        warning_date(D("2026-06-01"), D("2026-07-13"), share=share)


def test_warning_due_before_start() -> None:
    with pytest.raises(ValueError, match="2026-05-01"):
        warning_date(D("2026-06-01"), D("2026-05-01"))
