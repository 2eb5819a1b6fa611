"""The dashboard's counts and charts as pure functions: the Dutch week, which bucket a due date falls
in, the overview's tables, and a chart that draws no bar for a suppressed figure."""

from __future__ import annotations

from datetime import date

from contracts.vocabulary import DeadlineKind
from klachtspoor.disclosure import protect
from services.reporting.domain.dashboard import (
    BreachCount,
    DueBucket,
    DueCount,
    OpenCount,
    breach_table,
    bucket_of,
    due_range,
    due_table,
    open_table,
    week_end,
)
from services.reporting.domain.status import CaseStatus
from services.reporting.entrypoints.dashboard.charts import rows_chart
from services.reporting.entrypoints.dashboard.views import counted_grid, narrowed, protected_grid

WEDNESDAY = date(2026, 12, 2)


def test_the_week_ends_on_sunday() -> None:
    assert week_end(WEDNESDAY) == date(2026, 12, 6)
    assert week_end(date(2026, 12, 6)) == date(2026, 12, 6)
    assert week_end(date(2026, 12, 7)) == date(2026, 12, 13)


def test_a_due_date_is_overdue_this_week_or_later() -> None:
    assert bucket_of(date(2026, 12, 1), WEDNESDAY) is DueBucket.OVERDUE
    assert bucket_of(WEDNESDAY, WEDNESDAY) is DueBucket.THIS_WEEK
    assert bucket_of(date(2026, 12, 6), WEDNESDAY) is DueBucket.THIS_WEEK
    assert bucket_of(date(2026, 12, 7), WEDNESDAY) is None
    assert due_range(DueBucket.OVERDUE, WEDNESDAY) == (None, date(2026, 12, 1))
    assert due_range(DueBucket.THIS_WEEK, WEDNESDAY) == (WEDNESDAY, date(2026, 12, 6))


def test_the_overview_tables_count_what_runs() -> None:
    opened = open_table(
        [
            OpenCount(CaseStatus.FORMAL, "complaints_committee", 6),
            OpenCount(CaseStatus.OPEN, "care_worker", 2),
        ]
    )
    assert opened.total == 8
    assert opened.counts[opened.rows.index("complaints_committee")][opened.columns.index("formal")] == 6
    assert "closed" not in opened.columns and "withdrawn" not in opened.columns
    due = due_table(
        [
            DueCount(DeadlineKind.JUDGEMENT, date(2026, 11, 20), 2),
            DueCount(DeadlineKind.JUDGEMENT, date(2026, 12, 4), 1),
            DueCount(DeadlineKind.JUDGEMENT, date(2026, 12, 10), 7),
        ],
        WEDNESDAY,
    )
    assert due.counts[due.rows.index("judgement")] == (2, 1), "a term due next week is not counted"
    breached = breach_table([BreachCount(DeadlineKind.FIRST_CONTACT, 3)])
    assert breached.total == 3


def test_a_grid_leaves_out_what_counts_nothing_and_links_what_does() -> None:
    table = open_table([OpenCount(CaseStatus.FORMAL, "complaints_committee", 6)])
    grid = narrowed(
        counted_grid(
            "open",
            table,
            caption="c",
            row_header="r",
            labels=str,
            column_labels=str,
            link=lambda row, column: f"{row}/{column}",
        )
    )
    assert [row.code for row in grid.rows] == ["complaints_committee"]
    assert [code for code, _ in grid.columns] == ["formal"]
    assert grid.rows[0].cells[0].href == "complaints_committee/formal"


def test_a_suppressed_figure_has_no_bar_and_shows_x() -> None:
    table = open_table(
        [
            OpenCount(CaseStatus.FORMAL, "complaints_committee", 9),
            OpenCount(CaseStatus.OPEN, "care_worker", 2),
        ]
    )
    grid = protected_grid("open", protect(table), caption="c", row_header="r", labels=str, column_labels=str)
    assert all(f.href is None for row in grid.rows for f in row.cells), "no link without a link function"
    chart = rows_chart(grid, title="t")
    hidden = [bar for bar in chart.bars if bar.text == "x"]
    assert hidden and all(bar.height == 0 for bar in hidden)
    assert "2" not in [bar.text for bar in chart.bars]
    assert chart.description.startswith("Staafdiagram")
