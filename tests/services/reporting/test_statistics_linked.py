"""The tables of one year are protected together: a quarter is its column of the year, and the
dimensions that split the same cases (channel, highest step, outcome) hide their shared totals alike."""

from __future__ import annotations

from klachtspoor.disclosure import ProtectedTable, protect
from services.reporting.domain.figures import ALL, Dimension, Figure, Figures
from services.reporting.domain.tables import (
    PARTITIONS,
    Period,
    PublishedDimension,
    dimension_table,
    protected_dimension_table,
)

YEAR = Period(2026, None)
SPLITS = {
    # channel: 5 + 3 cases in Q1, 1 + 2 in Q2; outcome: 8 upheld in Q1, 3 rejected in Q2.
    Dimension.CHANNEL: {("phone", "2026-Q1"): 5, ("phone", "2026-Q2"): 1, ("email", "2026-Q1"): 3,
                        ("email", "2026-Q2"): 2},
    Dimension.OUTCOME: {("upheld", "2026-Q1"): 8, ("rejected", "2026-Q2"): 3},
    Dimension.HIGHEST_STEP: {("complaints_officer", "2026-Q1"): 8, ("complaints_officer", "2026-Q2"): 3},
}  # fmt: skip


def figures() -> Figures:
    counts = [
        Figure("t1", period, dimension, value, cases)
        for dimension, cells in SPLITS.items()
        for (value, period), cases in cells.items()
    ]
    counts += [
        Figure("t1", "2026-Q1", Dimension.CASES, ALL, 8),
        Figure("t1", "2026-Q2", Dimension.CASES, ALL, 3),
    ]
    return Figures(counts=tuple(sorted(counts)), handling_times=())


def shared(table: ProtectedTable) -> list[bool]:
    return [cell.suppressed for cell in (*table.column_totals, table.total)]


def test_the_partitions_of_a_year_hide_their_shared_totals_alike() -> None:
    alone = [shared(protect(dimension_table(figures(), d, YEAR))) for d in PARTITIONS]
    assert len({tuple(pattern) for pattern in alone}) > 1, "protected alone, these tables disagree"
    linked = [shared(protected_dimension_table(figures(), d, YEAR, 5)) for d in PARTITIONS]
    assert linked[0] == linked[1] == linked[2]
    assert all(any(pattern) for pattern in linked)


def test_a_quarter_is_its_column_of_the_protected_year() -> None:
    for dimension in PublishedDimension:
        year = protected_dimension_table(figures(), dimension, YEAR, 5)
        for q, column in enumerate(year.columns):
            quarter = protected_dimension_table(figures(), dimension, Period.parse(column), 5)
            assert quarter.columns == (column,)
            assert [row[0] for row in quarter.cells] == [row[q] for row in year.cells]
            assert quarter.row_totals == tuple(row[q] for row in year.cells)
            assert quarter.total == year.column_totals[q]
