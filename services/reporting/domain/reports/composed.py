"""Tables made of figures the statistics API already publishes, so a report and the API can never
disagree on what is hidden.

The yearly analysis holds the same quantities as the API's year tables (the categories, outcomes and
measures of a year by quarter; a year's category totals; its cases; its terms met and breached), and the
API protects each year's tables together (``tables.protected_dimension_table``).
Protecting the report's tables anew could choose other secondary suppressions, and a reader holding both
could combine them. So these tables are composed: every cell is a figure of an API table (published or
hidden as it is there), and a total of the composed table is published only where it is the sum of
published figures (a row total when its whole row is published, the grand total when every column total
or every row total is).
Everything the table publishes is then an API figure or a sum of API figures: it tells nothing the API
does not, and a hidden total never stands alone in its row or column.
"""

from __future__ import annotations

from collections.abc import Sequence

from klachtspoor.disclosure import ProtectedTable, Published, SuppressionError

HIDDEN = Published(value=None, suppressed=True)


def composed(
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Sequence[Sequence[Published]],
    column_totals: Sequence[Published],
    *,
    threshold: int,
    percentage_base: int,
) -> ProtectedTable:
    """A protected table of API figures: ``cells`` by row, each column's total from the same API table
    as its cells (see the module)."""
    row_totals = tuple(_sum(row) for row in cells)
    by_columns = _sum(column_totals)
    total = by_columns if not by_columns.suppressed else _sum(row_totals)
    try:
        return ProtectedTable(
            rows=tuple(rows),
            columns=tuple(columns),
            threshold=threshold,
            percentage_base=percentage_base,
            cells=tuple(tuple(row) for row in cells),
            row_totals=row_totals,
            column_totals=tuple(column_totals),
            total=total,
        )
    except ValueError as error:  # a total alone in its line: it could be derived, so publish nothing
        raise SuppressionError(f"composed table {tuple(columns)} cannot be published: {error}") from error


def _sum(figures: Sequence[Published]) -> Published:
    """The sum of published figures; hidden when any of them is."""
    if any(f.value is None for f in figures):
        return HIDDEN
    return Published(value=sum(f.value or 0 for f in figures), suppressed=False)


def row_total_of(table: ProtectedTable, row: str) -> Published:
    """A value's figure for the table's whole period (its row total); 0 when the table has no such row
    (a value nobody was counted in that year)."""
    if row not in table.rows:
        return Published(value=0, suppressed=False)
    return table.row_totals[table.rows.index(row)]


def reordered(table: ProtectedTable, rows: Sequence[str]) -> ProtectedTable:
    """The same protected table with its rows in the report's order; a row it lacks is a row of 0 (a
    value nobody was counted in). The same figures and suppressions: nothing more is published."""
    missing = set(table.rows) - set(rows)
    if missing:
        raise ValueError(f"reordered rows leave out {sorted(missing)}")
    zero = Published(value=0, suppressed=False)
    index = {row: i for i, row in enumerate(table.rows)}
    return table.model_copy(
        update={
            "rows": tuple(rows),
            "cells": tuple(
                table.cells[index[r]] if r in index else tuple(zero for _ in table.columns) for r in rows
            ),
            "row_totals": tuple(table.row_totals[index[r]] if r in index else zero for r in rows),
        }
    )
