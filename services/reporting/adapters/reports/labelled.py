"""What every renderer shows of a table: Dutch labels, figures or ``x``."""

from __future__ import annotations

from klachtspoor.calendar.notation_nl import dutch_date
from klachtspoor.disclosure import SECRET, ProtectedTable, Published
from services.reporting.domain.reports.model import Report, ReportTable

TOTAL = "Totaal"


def labelled(table: ReportTable) -> ProtectedTable:
    """The protected table with the Dutch labels as row and column names (codes where two labels would
    be the same, so no row is merged with another)."""
    rows = table.row_labels if len(set(table.row_labels)) == len(table.row_labels) else table.table.rows
    columns = (
        table.column_labels
        if len(set(table.column_labels)) == len(table.column_labels)
        else table.table.columns
    )
    return table.table.model_copy(update={"rows": rows, "columns": columns})


def lines(table: ReportTable) -> tuple[tuple[str, ...], tuple[tuple[str, tuple[Published, ...]], ...]]:
    """The heading row (label column, columns, total) and each body row with its cells and total, the
    column totals last (not for a table of one row, whose column totals repeat it)."""
    protected = labelled(table)
    heading = (table.row_heading, *protected.columns, TOTAL)
    body = tuple(
        (label, (*cells, total))
        for label, cells, total in zip(protected.rows, protected.cells, protected.row_totals, strict=True)
    )
    if len(body) == 1:
        return heading, body  # one row: the column totals are that row again
    return heading, (*body, (TOTAL, (*protected.column_totals, protected.total)))


def figure(cell: Published) -> str:
    return SECRET if cell.value is None else str(cell.value)


def made_on(report: Report) -> str:
    return dutch_date(report.made_on)


def header_lines(report: Report) -> tuple[tuple[str, str], ...]:
    """The facts above every rendering: organisation, period, date, the disclosure note."""
    return (
        ("Organisatie", report.letterhead.name),
        ("Periode", report.period_label),
        ("Opgemaakt op", made_on(report)),
        ("Geheimhouding", report.disclosure_note),
    )
