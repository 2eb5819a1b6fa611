"""A report as CSV: its facts, then one block per table (a title line, then the table as
:func:`~klachtspoor.disclosure.to_csv` writes it, with CBS's ``x`` for a suppressed figure), each block
after an empty line."""

from __future__ import annotations

import csv
import io

from klachtspoor.disclosure import to_csv
from services.reporting.adapters.reports.labelled import header_lines, labelled
from services.reporting.domain.reports.model import Report


def render_csv(report: Report) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([report.title])
    for name, value in header_lines(report):
        writer.writerow([name, value])
    for table in report.tables:
        writer.writerow([])
        writer.writerow([table.title])
        out.write(to_csv(labelled(table)))
    return out.getvalue().encode("utf-8")
