"""Random tables: every small count is hidden, no hidden count can be recovered, and the pattern is stable.

Recovery is tried the way an attacker would: the least and the greatest value of each suppressed cell
given the published cells, every row and column equation and nonnegativity, solved exactly. The solver
itself is checked against brute-force enumeration of every integer table on tiny tables, with suppression
patterns drawn at random (so derivable cells occur as well as protected ones).
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from klachtspoor.disclosure import Table, all_bounds, protect, suppression_pattern

SMALL_OR_ANY = st.one_of(st.integers(min_value=0, max_value=6), st.integers(min_value=0, max_value=30))


@st.composite
def tables(draw: st.DrawFn, max_side: int = 6, counts: st.SearchStrategy[int] = SMALL_OR_ANY) -> Table:
    height = draw(st.integers(min_value=1, max_value=max_side))
    width = draw(st.integers(min_value=1, max_value=max_side))
    rows = draw(st.lists(st.lists(counts, min_size=width, max_size=width), min_size=height, max_size=height))
    return Table(
        rows=tuple(f"r{i}" for i in range(height)),
        columns=tuple(f"k{j}" for j in range(width)),
        counts=tuple(tuple(row) for row in rows),
    )


def hidden(table: Table, threshold: int) -> frozenset[tuple[int, int]]:
    protected = protect(table, threshold=threshold)
    return frozenset(
        (i, j) for i, line in enumerate(protected.grid()) for j, cell in enumerate(line) if cell.suppressed
    )


@settings(max_examples=100, deadline=None)
@given(tables(), st.integers(min_value=2, max_value=10))
def test_no_suppressed_count_can_be_recovered_from_what_is_published(table: Table, threshold: int) -> None:
    grid = table.grid()
    suppressed = hidden(table, threshold)
    for i, line in enumerate(grid):
        for j, n in enumerate(line):
            if 0 < n < threshold:
                assert (i, j) in suppressed, f"small count at {(i, j)} published"
            if n == 0:
                assert (i, j) not in suppressed, f"zero at {(i, j)} suppressed"
    for cell, (least, greatest) in all_bounds(grid, suppressed).items():
        true = grid[cell[0]][cell[1]]
        assert least <= true
        assert greatest is None or true <= greatest
        assert greatest is None or greatest > least, f"cell {cell} follows from the published table"


@settings(max_examples=50, deadline=None)
@given(tables(), st.integers(min_value=2, max_value=10))
def test_the_same_table_always_gives_the_same_pattern(table: Table, threshold: int) -> None:
    copy = Table(rows=table.rows, columns=table.columns, counts=tuple(tuple(row) for row in table.counts))
    first = protect(table, threshold=threshold)
    again = suppression_pattern(copy.grid(), threshold)
    assert again == {
        (i, j) for i, line in enumerate(first.grid()) for j, c in enumerate(line) if c.suppressed
    }


@settings(max_examples=30, deadline=None)
@given(tables(max_side=2, counts=st.integers(min_value=0, max_value=3)), st.data())
def test_the_exact_bounds_agree_with_enumerating_every_table(table: Table, data: st.DataObject) -> None:
    grid = table.grid()
    cells = [(i, j) for i in range(len(grid)) for j in range(len(grid[0]))]
    suppressed = frozenset(data.draw(st.sets(st.sampled_from(cells), min_size=1)))
    cap = 13  # above the largest total (4 cells of at most 3), so a bounded cell stays inside
    seen = {cell: set[int]() for cell in suppressed}
    inner = [c for c in sorted(suppressed) if c[0] < len(table.rows) and c[1] < len(table.columns)]
    for values in itertools.product(range(cap + 1), repeat=len(inner)):
        counts = [list(row) for row in table.counts]
        for (i, j), value in zip(inner, values, strict=True):
            counts[i][j] = value
        candidate = Table(
            rows=table.rows, columns=table.columns, counts=tuple(tuple(r) for r in counts)
        ).grid()
        if all(candidate[i][j] == grid[i][j] for i, j in cells if (i, j) not in suppressed):
            for i, j in suppressed:
                seen[(i, j)].add(candidate[i][j])
    for cell, (least, greatest) in all_bounds(grid, suppressed).items():
        assert least == min(seen[cell])
        if greatest is None:
            assert max(seen[cell]) >= cap - 3, f"cell {cell} unbounded but enumeration stops low"
        else:
            assert greatest == max(seen[cell])
