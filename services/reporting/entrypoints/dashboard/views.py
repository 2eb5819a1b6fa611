"""Tables as the dashboard shows them: labelled rows and columns, each figure a text and maybe a link.

Two ways in, and the choice is the disclosure decision (docs/dashboard.md): :func:`counted_grid` shows
the counts as they are, for the roles that may read the cases behind them (with a link to those cases);
:func:`protected_grid` shows a :class:`ProtectedTable`, the only form in which a statistics figure is
shown, where a suppressed figure is ``x`` (the CBS sign, as in the CSV) and its value is not there at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from klachtspoor.disclosure import SECRET, ProtectedTable, Published, Table

Link = Callable[[str | None, str | None], str | None]
"""The drill-down behind the figure of (row code, column code); None for a total. None: no link."""


@dataclass(frozen=True, slots=True)
class Figure:
    text: str
    value: int | None
    suppressed: bool
    href: str | None


@dataclass(frozen=True, slots=True)
class Row:
    code: str
    label: str
    cells: tuple[Figure, ...]
    total: Figure


@dataclass(frozen=True, slots=True)
class Grid:
    """A table of figures with its caption and the header of its row labels."""

    key: str
    caption: str
    row_header: str
    columns: tuple[tuple[str, str], ...]
    rows: tuple[Row, ...]
    column_totals: tuple[Figure, ...]
    total: Figure
    protected: bool
    total_label: str = "totaal"

    @property
    def empty(self) -> bool:
        return not self.rows

    @property
    def row_totals(self) -> bool:
        """A single column is its own total: no total column then."""
        return len(self.columns) > 1


def narrowed(grid: Grid) -> Grid:
    """The grid without the columns that count nothing (a published 0 everywhere), so a wide table of
    statuses fits a screen; a column with a suppressed figure stays."""
    keep = [
        i
        for i, total in enumerate(grid.column_totals)
        if total.suppressed or (total.value or 0) > 0 or any(row.cells[i].suppressed for row in grid.rows)
    ]
    if not keep or len(keep) == len(grid.columns):
        return grid
    rows = tuple(Row(row.code, row.label, tuple(row.cells[i] for i in keep), row.total) for row in grid.rows)
    return Grid(
        key=grid.key,
        caption=grid.caption,
        row_header=grid.row_header,
        columns=tuple(grid.columns[i] for i in keep),
        rows=rows,
        column_totals=tuple(grid.column_totals[i] for i in keep),
        total=grid.total,
        protected=grid.protected,
        total_label=grid.total_label,
    )


def _figure(value: int | None, suppressed: bool, href: str | None) -> Figure:
    text = SECRET if suppressed else str(value)
    return Figure(text=text, value=value, suppressed=suppressed, href=href)


def counted_grid(
    key: str,
    table: Table,
    *,
    caption: str,
    row_header: str,
    labels: Callable[[str], str],
    column_labels: Callable[[str], str],
    link: Link | None = None,
) -> Grid:
    """The counts as counted (operational figures for case readers); rows that count nothing left out."""

    def at(value: int, row: str | None, column: str | None) -> Figure:
        href = link(row, column) if link is not None and value > 0 else None
        return _figure(value, False, href)

    rows = tuple(
        Row(
            code,
            labels(code),
            tuple(at(n, code, column) for n, column in zip(counts, table.columns, strict=True)),
            at(total, code, None),
        )
        for code, counts, total in zip(table.rows, table.counts, table.row_totals, strict=True)
        if total > 0
    )
    return Grid(
        key=key,
        caption=caption,
        row_header=row_header,
        columns=tuple((c, column_labels(c)) for c in table.columns),
        rows=rows,
        column_totals=tuple(at(n, None, c) for n, c in zip(table.column_totals, table.columns, strict=True)),
        total=at(table.total, None, None),
        protected=False,
    )


def protected_grid(
    key: str,
    table: ProtectedTable,
    *,
    caption: str,
    row_header: str,
    labels: Callable[[str], str],
    column_labels: Callable[[str], str],
    link: Link | None = None,
) -> Grid:
    """A protected table: suppressed figures are ``x``; rows of published zeros only are left out (a
    published 0 exposes nobody, and leaving it out hides nothing)."""

    def at(cell: Published, row: str | None, column: str | None) -> Figure:
        counted = cell.suppressed or (cell.value or 0) > 0
        href = link(row, column) if link is not None and counted else None
        return _figure(cell.value, cell.suppressed, href)

    rows = tuple(
        Row(
            code,
            labels(code),
            tuple(at(c, code, column) for c, column in zip(cells, table.columns, strict=True)),
            at(total, code, None),
        )
        for code, cells, total in zip(table.rows, table.cells, table.row_totals, strict=True)
        if _counts(total, cells)
    )
    return Grid(
        key=key,
        caption=caption,
        row_header=row_header,
        columns=tuple((c, column_labels(c)) for c in table.columns),
        rows=rows,
        column_totals=tuple(
            at(c, None, col) for c, col in zip(table.column_totals, table.columns, strict=True)
        ),
        total=at(table.total, None, None),
        protected=True,
    )


def _counts(total: Published, cells: Sequence[Published]) -> bool:
    return total.suppressed or (total.value or 0) > 0 or any(c.suppressed for c in cells)
