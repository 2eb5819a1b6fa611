"""A protected table as JSON-ready data, as CSV, and as percentages. Only :class:`ProtectedTable` renders:
a :class:`~klachtspoor.disclosure.table.Table` has no renderer, so counts reach a reader only protected.

CSV follows CBS: a suppressed figure is ``x`` (a secret figure). JSON gives every cell as
``{"value": n, "suppressed": false}`` or ``{"value": null, "suppressed": true}``.
"""

from __future__ import annotations

import csv
import io
from typing import Final

from klachtspoor.disclosure.table import ProtectedTable, Published

SECRET: Final = "x"
"""CBS's sign for a figure kept secret."""

TOTAL_LABEL: Final = "Totaal"


def cell_json(cell: Published) -> dict[str, int | bool | None]:
    return {"value": cell.value, "suppressed": cell.suppressed}


def to_json(table: ProtectedTable) -> dict[str, object]:
    """The table for a JSON body: labels, cells by row, totals, and the rules it was protected under."""
    return {
        "rows": list(table.rows),
        "columns": list(table.columns),
        "cells": [[cell_json(c) for c in row] for row in table.cells],
        "row_totals": [cell_json(c) for c in table.row_totals],
        "column_totals": [cell_json(c) for c in table.column_totals],
        "total": cell_json(table.total),
        "threshold": table.threshold,
        "percentage_base": table.percentage_base,
    }


def to_csv(table: ProtectedTable) -> str:
    """The table as CSV: a header of column labels, one line per row with its total, then the totals."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["", *(_label(c) for c in table.columns), TOTAL_LABEL])
    for label, row, total in zip(table.rows, table.cells, table.row_totals, strict=True):
        writer.writerow([_label(label), *(_figure(c) for c in row), _figure(total)])
    writer.writerow([TOTAL_LABEL, *(_figure(c) for c in table.column_totals), _figure(table.total)])
    return out.getvalue()


def percentage(part: Published, base: Published, percentage_base: int) -> float | None:
    """``part`` as a percentage of ``base``, rounded to one decimal; ``None`` when either is suppressed
    or the base counts fewer than ``percentage_base`` cases (a share of a handful says more about a person
    than about the organisation)."""
    if part.value is None or base.value is None or base.value < percentage_base:
        return None
    return round(100 * part.value / base.value, 1)


def row_percentages(table: ProtectedTable) -> tuple[tuple[float | None, ...], ...]:
    """Every cell as a percentage of its row total (the distribution within a row)."""
    return tuple(
        tuple(percentage(c, total, table.percentage_base) for c in row)
        for row, total in zip(table.cells, table.row_totals, strict=True)
    )


def column_percentages(table: ProtectedTable) -> tuple[tuple[float | None, ...], ...]:
    """Every cell as a percentage of its column total (the distribution within a column)."""
    return tuple(
        tuple(
            percentage(c, total, table.percentage_base)
            for c, total in zip(row, table.column_totals, strict=True)
        )
        for row in table.cells
    )


def _figure(cell: Published) -> str:
    return SECRET if cell.value is None else str(cell.value)


def _label(label: str) -> str:
    """A label a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``) gets a leading quote."""
    return f"'{label}" if label[:1] in ("=", "+", "-", "@", "\t", "\r") else label
