"""Linked tables: a figure two tables share is hidden in both or in neither, and nothing hidden follows
from all the published tables together.

The proof is by brute force, independent of the solver: on tiny pairs of tables that share their column
totals (two splits of the same cases, like the channel and the outcome tables of one period), every pair
of integer tables that agrees with everything published is enumerated, and every hidden figure must
take at least two values over them.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klachtspoor.disclosure import (
    LinkedTable,
    ProtectedTable,
    SuppressionError,
    Table,
    protect,
    protect_linked,
)

Grid = tuple[tuple[int, ...], ...]


def split(counts: tuple[tuple[int, ...], ...], prefix: str) -> Table:
    return Table(
        rows=tuple(f"{prefix}{i}" for i in range(len(counts))),
        columns=tuple(f"q{j}" for j in range(len(counts[0]))),
        counts=counts,
    )


def column_links(table: Table) -> dict[tuple[str | None, str | None], str]:
    """The column totals and the grand total, as the cases of each column and of all of them."""
    return {(None, column): f"cases {column}" for column in table.columns} | {(None, None): "cases"}


def hidden(protected: ProtectedTable) -> set[tuple[int, int]]:
    return {(i, j) for i, line in enumerate(protected.grid()) for j, c in enumerate(line) if c.suppressed}


def test_a_secondary_suppression_in_one_table_is_kept_in_the_table_that_shares_it() -> None:
    # Alone, the first table hides the total of q1 (3 cases) and, to protect it, the total of q0; the
    # second table would publish the total of q0 (it is 8 there too), and the first's pattern would fall.
    first = split(((5, 1), (3, 2)), "a")
    second = split(((8, 0), (0, 3)), "b")
    alone = protect(second)
    assert not alone.column_totals[0].suppressed
    one, two = protect_linked(
        [LinkedTable(first, column_links(first)), LinkedTable(second, column_links(second))]
    )
    for position in range(2):
        assert one.column_totals[position].suppressed == two.column_totals[position].suppressed
    assert two.column_totals[1].suppressed and two.column_totals[0].suppressed
    assert one.total.suppressed == two.total.suppressed


def test_tables_that_share_nothing_are_protected_as_alone() -> None:
    first, second = split(((5, 1), (3, 9)), "a"), split(((8, 7), (6, 3)), "b")
    linked = protect_linked([LinkedTable(first), LinkedTable(second)])
    assert linked == (protect(first), protect(second))


def test_a_shared_figure_must_count_the_same_in_each_table() -> None:
    first, second = split(((5, 1),), "a"), split(((5, 2),), "b")
    with pytest.raises(ValueError, match="cases q1"):
        protect_linked([LinkedTable(first, column_links(first)), LinkedTable(second, column_links(second))])


def test_a_link_to_an_unknown_label_is_refused() -> None:
    table = split(((5, 1),), "a")
    with pytest.raises(ValueError, match="no column 'q9'"):
        protect_linked([LinkedTable(table, {(None, "q9"): "cases q9"})])


def consistent(grid: Grid, published: ProtectedTable, limit: int) -> list[Grid]:
    """Every integer table (cells 0..limit) whose grid agrees with every published figure."""
    height, width = len(grid) - 1, len(grid[0]) - 1
    shown = published.grid()
    found = []
    for values in itertools.product(range(limit + 1), repeat=height * width):
        body = tuple(tuple(values[i * width : (i + 1) * width]) for i in range(height))
        candidate = split(body, "c").grid()
        if all(
            cell.value is None or cell.value == candidate[i][j]
            for i, line in enumerate(shown)
            for j, cell in enumerate(line)
        ):
            found.append(candidate)
    return found


shares = st.lists(st.integers(min_value=0, max_value=4), min_size=2, max_size=2)


@st.composite
def two_splits(draw: st.DrawFn) -> tuple[Table, Table]:
    """Two 2 × 2 splits of the same cases per column (counts up to 4 a cell)."""
    first = draw(st.lists(shares, min_size=2, max_size=2))
    columns = [first[0][j] + first[1][j] for j in range(2)]
    upper = [draw(st.integers(min_value=0, max_value=min(4, n))) for n in columns]
    second = [upper, [n - u for n, u in zip(columns, upper, strict=True)]]
    if any(n > 4 for n in second[1]):
        second = [[n - min(4, n) for n in columns], [min(4, n) for n in columns]]
    return split(tuple(map(tuple, first)), "a"), split(tuple(map(tuple, second)), "b")


@settings(max_examples=60, deadline=None)
@given(two_splits(), st.integers(min_value=2, max_value=4))
def test_no_hidden_figure_follows_from_both_tables_together(
    pair: tuple[Table, Table], threshold: int
) -> None:
    first, second = pair
    try:
        one, two = protect_linked(
            [LinkedTable(first, column_links(first)), LinkedTable(second, column_links(second))], threshold
        )
    except SuppressionError:
        return  # failing closed publishes nothing: safe
    joined: defaultdict[tuple[int, int, int], set[int]] = defaultdict(set)
    seconds_by_columns: defaultdict[tuple[int, ...], list[Grid]] = defaultdict(list)
    for candidate in consistent(second.grid(), two, 8):
        seconds_by_columns[candidate[-1]].append(candidate)
    pairs = 0
    for a in consistent(first.grid(), one, 8):
        for b in seconds_by_columns[a[-1]]:
            pairs += 1
            for table, grid, shown in ((0, a, one), (1, b, two)):
                for i, j in hidden(shown):
                    joined[(table, i, j)].add(grid[i][j])
    assert pairs >= 1, "the true pair of tables agrees with what is published"
    for (table, i, j), options in joined.items():
        assert len(options) >= 2, f"table {table} cell {(i, j)} follows from both tables: {options}"
    for j in range(3):
        assert one.grid()[-1][j].suppressed == two.grid()[-1][j].suppressed
