"""The demo cases ``make dev`` files: spread over six quarters up to today, never after it, each quarter
with its planned number of cases, the same cases for the same day."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from klachtspoor_devtools.devstack.demo import QUARTERS, demo_cases, quarter_start


@pytest.mark.parametrize("today", [date(2026, 12, 2), date(2026, 1, 1), date(2027, 3, 31), date(2026, 4, 1)])
def test_demo_cases_fill_six_quarters_up_to_today(today: date) -> None:
    cases = list(demo_cases(today))
    assert len(cases) == sum(QUARTERS)
    assert all(case.received_on <= today for case in cases)
    assert cases == list(demo_cases(today))
    per_quarter = Counter(quarter_start(case.received_on, 0) for case in cases)
    expected = {quarter_start(today, back): n for back, n in zip(range(5, -1, -1), QUARTERS, strict=True)}
    assert per_quarter == expected
    assert {c.number for c in cases} == set(range(1, len(cases) + 1)), "an idempotency key per case"


def test_quarter_start_counts_back_over_years() -> None:
    assert quarter_start(date(2026, 2, 10), 0) == date(2026, 1, 1)
    assert quarter_start(date(2026, 2, 10), 1) == date(2025, 10, 1)
    assert quarter_start(date(2026, 2, 10), 5) == date(2024, 10, 1)
    assert quarter_start(date(2026, 2, 10), -1) == date(2026, 4, 1)
