"""Linked tables: several tables that publish some of the same figures, protected together.

Two tables of one period share figures: the tables of the channel, the highest step and the outcome
each split the same cases, so their column totals (the cases of a quarter) and their grand total are one
and the same number; a report's trend table over years holds, as a cell, this year's total of a
category that another table of the report holds as a row total. Protected one at a time, a figure hidden
in one table as a secondary suppression could be published by the other, and the hidden cells of the
first would follow from it (CBS and τ-Argus call this the linked-tables problem).

:func:`protect_linked` takes each table with the figures it shares, named by a key (any hashable value:
the same key in two tables is the same number; the counts must agree). It then works as τ-Argus's
modular approach does:

1. Each table is protected with every shared figure that is hidden in any table hidden in it too (as if
   it were a primary suppression, so it gets a rectangle of its own); this repeats until no table hides
   a shared figure that another still publishes. It ends: the hidden set only grows.
2. The audit is over all the tables at once: one system of equations in which a shared figure is one
   unknown, and every hidden figure's least and greatest value is computed exactly. If one of them is
   pinned down, :class:`SuppressionError` is raised and nothing may be published (fail closed).

A table can come already published (``LinkedTable.published``): its pattern is kept, and the others hide
what it hides and find their secondary suppressions among figures it does not show. A network table is
protected so against the organisations' own tables, which do not change for it.

Pure, deterministic: the same tables and links always give the same patterns.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from klachtspoor.disclosure.exact import Unbounded, minimiser
from klachtspoor.disclosure.suppress import Cell, published_table, suppression_pattern
from klachtspoor.disclosure.table import ProtectedTable, SuppressionError, Table

Position = tuple[str | None, str | None]
"""A figure of a table by its row and column label; ``None`` for the totals (``(None, None)`` is the
grand total, ``("bejegening", None)`` a row total)."""


@dataclass(frozen=True, slots=True)
class LinkedTable:
    """A table and the figures it shares with others: position -> key.

    ``published``: the table as it has already been published (by :func:`protect` or an earlier
    :func:`protect_linked`); its pattern is then kept as it is, and the other tables work around it:
    they hide whatever it hides, and never hide, as a secondary suppression, a figure it shows."""

    table: Table
    links: Mapping[Position, Hashable] = field(default_factory=dict)
    published: ProtectedTable | None = None

    def fixed_pattern(self) -> frozenset[Cell] | None:
        if self.published is None:
            return None
        if (self.published.rows, self.published.columns) != (self.table.rows, self.table.columns):
            raise ValueError("a linked table's published form must have the table's rows and columns")
        return frozenset(
            (i, j) for i, line in enumerate(self.published.grid()) for j, c in enumerate(line) if c.suppressed
        )

    def cell(self, position: Position) -> Cell:
        """The grid cell (:meth:`Table.grid`) of a position; ``ValueError`` for an unknown label."""
        row, column = position
        rows, columns = self.table.rows, self.table.columns
        if row is not None and row not in rows:
            raise ValueError(f"linked position {position}: no row {row!r} (rows: {rows})")
        if column is not None and column not in columns:
            raise ValueError(f"linked position {position}: no column {column!r} (columns: {columns})")
        i = len(rows) if row is None else rows.index(row)
        j = len(columns) if column is None else columns.index(column)
        return i, j

    def shared(self) -> dict[Cell, Hashable]:
        return {self.cell(position): key for position, key in self.links.items()}


def protect_linked(
    tables: Sequence[LinkedTable],
    threshold: int = 5,
    percentage_base: int = 10,
    sums: Mapping[Hashable, Sequence[Hashable]] | None = None,
) -> tuple[ProtectedTable, ...]:
    """Every table protected, in order, so that no hidden figure follows from all of them together.

    ``sums``: shared figures that are the sum of others (a network's row of merged organisations: each
    of its figures is the sum of the same figure of each merged organisation). The audit knows them as
    equations; they add no suppression, so a sum whose parts can be told apart fails closed."""
    if threshold < 2:
        raise ValueError(f"threshold must be at least 2, got {threshold}")
    grids = [linked.table.grid() for linked in tables]
    shared = [linked.shared() for linked in tables]
    _check_agreement(grids, shared)
    fixed = [linked.fixed_pattern() for linked in tables]
    shown = {key for links, pattern in zip(shared, fixed, strict=True) if pattern is not None
             for cell, key in links.items() if cell not in pattern}  # fmt: skip
    hidden_keys: set[Hashable] = set()
    while True:
        patterns = [
            pattern
            if pattern is not None
            else suppression_pattern(
                grid,
                threshold,
                {cell for cell, key in links.items() if key in hidden_keys},
                kept={cell for cell, key in links.items() if key in shown},
            )
            for grid, links, pattern in zip(grids, shared, fixed, strict=True)
        ]
        found = {
            links[cell]
            for pattern, links in zip(patterns, shared, strict=True)
            for cell in pattern
            if cell in links
        }
        if found <= hidden_keys:
            break
        hidden_keys |= found
    clash = sorted(repr(key) for key in hidden_keys & shown)
    if clash:
        raise SuppressionError(f"linked figures {', '.join(clash)} are hidden here but already published")
    _audit(grids, shared, patterns, dict(sums or {}))
    return tuple(
        published_table(linked.table, pattern, threshold, percentage_base)
        for linked, pattern in zip(tables, patterns, strict=True)
    )


def _check_agreement(grids: list[tuple[tuple[int, ...], ...]], shared: list[dict[Cell, Hashable]]) -> None:
    """A key names one number: every table holding it must count the same."""
    seen: dict[Hashable, tuple[int, int]] = {}
    for index, (grid, links) in enumerate(zip(grids, shared, strict=True)):
        for (i, j), key in sorted(links.items()):
            count = grid[i][j]
            if key in seen and seen[key][1] != count:
                first, value = seen[key]
                raise ValueError(
                    f"linked figure {key!r} is {value} in table {first} and {count} in table {index}"
                )
            seen.setdefault(key, (index, count))


def _audit(
    grids: list[tuple[tuple[int, ...], ...]],
    shared: list[dict[Cell, Hashable]],
    patterns: list[frozenset[Cell]],
    sums: dict[Hashable, Sequence[Hashable]],
) -> None:
    """Every hidden figure's bounds over the equations of all tables at once; fail when one is pinned."""
    unknowns: dict[tuple[int, Cell], Hashable] = {}
    values: dict[Hashable, int] = {}
    for index, (links, pattern, grid) in enumerate(zip(shared, patterns, grids, strict=True)):
        for cell, key in links.items():
            values[key] = grid[cell[0]][cell[1]]
        for cell in pattern:
            unknowns[(index, cell)] = ("shared", links[cell]) if cell in links else ("own", index, cell)
    names = sorted(set(unknowns.values()), key=repr)
    if not names:
        return
    column = {name: k for k, name in enumerate(names)}
    equations: list[list[Fraction]] = []
    rhs: list[Fraction] = []
    for total, parts in sums.items():
        coefficients = [Fraction(0)] * len(names)
        constant = Fraction(0)
        for sign, key in ((1, total), *((-1, part) for part in parts)):
            if ("shared", key) in column:
                coefficients[column[("shared", key)]] += sign
            elif key in values:
                constant -= sign * values[key]
            else:
                raise ValueError(f"sum {total!r}: {key!r} is no linked figure of any table")
        if any(coefficients):
            equations.append(coefficients)
            rhs.append(constant)
    for index, grid in enumerate(grids):
        for line in _lines(grid):
            coefficients = [Fraction(0)] * len(names)
            constant = Fraction(0)
            for position, cell in enumerate(line):
                sign = -1 if position == len(line) - 1 else 1
                name = unknowns.get((index, cell))
                if name is None:
                    constant -= sign * grid[cell[0]][cell[1]]
                else:
                    coefficients[column[name]] += sign
            if any(coefficients):
                equations.append(coefficients)
                rhs.append(constant)
    try:
        solve = minimiser(equations, rhs, len(names))
        for name in names:
            target = [Fraction(int(other == name)) for other in names]
            least = solve(target)
            try:
                greatest: Fraction | None = -solve([-t for t in target])
            except Unbounded:
                greatest = None
            if greatest == least:
                raise SuppressionError(f"linked figure {name!r} would follow from the published figures")
    except (ValueError, Unbounded) as error:
        raise SuppressionError("the audit of the linked tables could not be solved") from error


def _lines(grid: tuple[tuple[int, ...], ...]) -> list[list[Cell]]:
    """Every row and column of the grid: its cells, the total last."""
    height, width = len(grid), len(grid[0])
    return [[(i, j) for j in range(width)] for i in range(height)] + [
        [(i, j) for i in range(height)] for j in range(width)
    ]
