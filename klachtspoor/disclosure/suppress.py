"""Primary and secondary suppression of a two-way table, and the audit that proves the pattern safe.

The table is read as a grid with its totals (:meth:`Table.grid`): ``R + 1`` rows by ``C + 1`` columns,
where every row and every column is an equation (its cells add up to its total). The rules, in order:

1. Primary: every cell or total counting 1 to ``threshold - 1`` is suppressed. A 0 is published: it says
   that nobody is in that group, which exposes no one (CBS practice, and τ-Argus by default).
2. Secondary, by hypercubes (τ-Argus's HYPERCUBE/GHMITER method, in two dimensions a rectangle): for each
   primary cell in reading order, of all rectangles of the grid with that cell as a corner and every other
   corner above 0, the one whose not yet suppressed corners add up to the least is suppressed (ties: fewer
   new cells, then the first rectangle in reading order). Each corner of a suppressed rectangle of positive
   counts can move up or down by the same amount (a total along with its cells) without changing any
   published figure, so none of its cells follows from the rest; a 0 is never a corner: it cannot go down.
3. Audit: for every suppressed cell the least and the greatest value it can take, given the published
   cells, the equations and nonnegativity, are computed exactly (:mod:`.exact`). A cell whose least and
   greatest value coincide would be derivable: then :class:`SuppressionError` is raised and nothing is
   published (after rule 2 it cannot happen; the audit is the proof, not a repair).

The same table always gives the same pattern: no step depends on anything but the counts and the order.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TypeAlias

from klachtspoor.disclosure.exact import Unbounded, minimiser
from klachtspoor.disclosure.table import ProtectedTable, Published, SuppressionError, Table

Cell: TypeAlias = tuple[int, int]
Grid: TypeAlias = tuple[tuple[int, ...], ...]
Cells: TypeAlias = frozenset[Cell] | set[Cell]


def protect(table: Table, threshold: int = 5, percentage_base: int = 10) -> ProtectedTable:
    """The publishable form of ``table`` (see the module's rules). ``threshold`` is the least count that
    may be shown; ``percentage_base`` the least total a percentage may be taken of (see :mod:`.render`)."""
    if threshold < 2:
        raise ValueError(f"threshold must be at least 2, got {threshold}")
    if percentage_base < 1:
        raise ValueError(f"percentage_base must be at least 1, got {percentage_base}")
    return published_table(table, suppression_pattern(table.grid(), threshold), threshold, percentage_base)


def published_table(
    table: Table, suppressed: Cells, threshold: int = 5, percentage_base: int = 10
) -> ProtectedTable:
    """``table`` with the grid cells of ``suppressed`` hidden (an audited pattern: :func:`protect`)."""
    grid = table.grid()
    published = tuple(
        tuple(
            Published(value=None, suppressed=True)
            if (i, j) in suppressed
            else Published(value=n, suppressed=False)
            for j, n in enumerate(line)
        )
        for i, line in enumerate(grid)
    )
    return ProtectedTable(
        rows=table.rows,
        columns=table.columns,
        threshold=threshold,
        percentage_base=percentage_base,
        cells=tuple(line[:-1] for line in published[:-1]),
        row_totals=tuple(line[-1] for line in published[:-1]),
        column_totals=published[-1][:-1],
        total=published[-1][-1],
    )


def suppression_pattern(
    grid: Grid, threshold: int, forced: Cells = frozenset(), kept: Cells = frozenset()
) -> frozenset[Cell]:
    """The suppressed cells of ``grid`` (a table with its totals, as :meth:`Table.grid`), audited.

    ``forced``: cells to hide as if they were primary (a linked table hides them: :mod:`.linked`); each
    gets its own rectangle. A forced 0 is refused: a 0 is never hidden. ``kept``: cells another table
    already shows, never chosen as a rectangle's corner (a small kept cell is a contradiction: the other
    table should have hidden it; :class:`SuppressionError`)."""
    if any(_at(grid, cell) == 0 for cell in forced):
        raise ValueError(f"forced cells must count above 0, got {sorted(forced)}")
    small = [cell for cell in _cells(grid) if 0 < _at(grid, cell) < threshold]
    primary = sorted(set(small) | set(forced))
    if set(primary) & set(kept):
        raise SuppressionError(f"grid cells {sorted(set(primary) & set(kept))} must be hidden and shown")
    suppressed: set[Cell] = set(primary)
    for cell in primary:
        suppressed.update(_cheapest_rectangle(grid, suppressed, cell, kept))
    try:
        found = all_bounds(grid, suppressed)
    except (ValueError, Unbounded) as error:
        raise SuppressionError("the audit of the suppression pattern could not be solved") from error
    derivable = next((cell for cell, (least, greatest) in sorted(found.items()) if greatest == least), None)
    if derivable is not None:
        raise SuppressionError(f"grid cell {derivable} would follow from the published cells")
    return frozenset(suppressed)


def _cheapest_rectangle(grid: Grid, suppressed: set[Cell], cell: Cell, kept: Cells) -> tuple[Cell, ...]:
    """Rule 2 for one primary cell: the corners of the rectangle to suppress with it."""
    row, column = cell
    options = []
    for other_row in range(len(grid)):
        for other_column in range(len(grid[0])):
            if other_row == row or other_column == column:
                continue
            corners = tuple(
                sorted({cell, (row, other_column), (other_row, column), (other_row, other_column)})
            )
            if any(_at(grid, c) == 0 or (c in kept and c not in suppressed) for c in corners):
                continue
            new = [c for c in corners if c not in suppressed]
            options.append((sum(_at(grid, c) for c in new), len(new), corners))
    if not options:
        raise SuppressionError(f"grid cell {cell} has no rectangle of positive counts to hide in")
    return min(options)[2]


def bounds(grid: Grid, suppressed: Cells, cell: Cell) -> tuple[Fraction, Fraction | None]:
    """The least and the greatest value of suppressed ``cell`` that agree with the published cells of
    ``grid``, its row and column equations and nonnegativity; ``None`` for no greatest value."""
    if cell not in suppressed:
        raise ValueError(f"grid cell {cell} is not suppressed")
    return all_bounds(grid, suppressed)[cell]


def all_bounds(grid: Grid, suppressed: Cells) -> dict[Cell, tuple[Fraction, Fraction | None]]:
    """:func:`bounds` of every suppressed cell, from one feasible start."""
    variables = sorted(suppressed)
    equations, rhs = _equations(grid, variables)
    solve = minimiser(equations, rhs, len(variables))
    found: dict[Cell, tuple[Fraction, Fraction | None]] = {}
    for cell in variables:
        target = [Fraction(int(v == cell)) for v in variables]
        try:
            greatest: Fraction | None = -solve([-t for t in target])
        except Unbounded:
            greatest = None
        found[cell] = (solve(target), greatest)
    return found


def is_protected(grid: Grid, suppressed: Cells, cell: Cell) -> bool:
    """Whether the published rest leaves suppressed ``cell`` open: its greatest value exceeds its least."""
    least, greatest = bounds(grid, suppressed, cell)
    return greatest is None or greatest > least


def _equations(grid: Grid, variables: list[Cell]) -> tuple[list[list[Fraction]], list[Fraction]]:
    """One equation per row and per column of the grid: its inner cells minus its total is 0. Published
    cells move to the right-hand side; equations without a suppressed cell say nothing and are left out."""
    last_row, last_column = len(grid) - 1, len(grid[0]) - 1
    lines = [[(i, j) for j in range(last_column + 1)] for i in range(last_row + 1)] + [
        [(i, j) for i in range(last_row + 1)] for j in range(last_column + 1)
    ]
    index = {cell: k for k, cell in enumerate(variables)}
    equations: list[list[Fraction]] = []
    rhs: list[Fraction] = []
    for line in lines:
        coefficients = [Fraction(0)] * len(variables)
        constant = Fraction(0)
        for position, cell in enumerate(line):
            sign = -1 if position == len(line) - 1 else 1
            if cell in index:
                coefficients[index[cell]] += sign
            else:
                constant -= sign * _at(grid, cell)
        if any(coefficients):
            equations.append(coefficients)
            rhs.append(constant)
    return equations, rhs


def _cells(grid: Grid) -> list[Cell]:
    return [(i, j) for i in range(len(grid)) for j in range(len(grid[0]))]


def _at(grid: Grid, cell: Cell) -> int:
    return grid[cell[0]][cell[1]]
