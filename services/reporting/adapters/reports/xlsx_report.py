"""A report as an XLSX workbook (XlsxWriter): one sheet per table, the report's facts above it, a
suppressed figure as the text ``x``. The workbook's creation date is the report's date, which XlsxWriter
also writes as every part's time in the zip: the same report gives the same bytes."""

from __future__ import annotations

import io
import re
from datetime import datetime

import xlsxwriter

from services.reporting.adapters.reports.labelled import TOTAL, header_lines, lines
from services.reporting.domain.reports.model import Report

SHEET_NAME_LENGTH = 31


def render_xlsx(report: Report) -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    workbook.set_properties(
        {
            "title": report.title,
            "author": report.letterhead.name,
            "company": report.letterhead.name,
            "comments": report.disclosure_note,
            "created": datetime(report.made_on.year, report.made_on.month, report.made_on.day),
        }
    )
    bold = workbook.add_format({"bold": True})
    title_format = workbook.add_format({"bold": True, "font_size": 14})
    heading = workbook.add_format({"bold": True, "bottom": 1, "align": "center", "text_wrap": True})
    label_heading = workbook.add_format({"bold": True, "bottom": 1})
    number = workbook.add_format({"align": "right"})
    total = workbook.add_format({"bold": True, "top": 1, "align": "right"})
    total_label = workbook.add_format({"bold": True, "top": 1})
    used: set[str] = set()
    for table in report.tables:
        sheet = workbook.add_worksheet(_sheet_name(table.title, used))
        sheet.write(0, 0, report.title, title_format)
        sheet.write(1, 0, table.title, bold)
        for i, (name, value) in enumerate(header_lines(report), start=2):
            sheet.write(i, 0, name)
            sheet.write(i, 1, value)
        top = 3 + len(header_lines(report))
        head, body = lines(table)
        sheet.write(top, 0, head[0], label_heading)
        for j, text in enumerate(head[1:], start=1):
            sheet.write(top, j, text, heading)
        for i, (label, cells) in enumerate(body, start=top + 1):
            last = i == top + len(body) and label == TOTAL
            sheet.write(i, 0, label, total_label if last else None)
            for j, cell in enumerate(cells, start=1):
                style = total if last or j == len(cells) else number
                if cell.value is None:
                    sheet.write_string(i, j, "x", style)
                else:
                    sheet.write_number(i, j, cell.value, style)
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, len(head) - 1, 14)
    workbook.close()
    return out.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    """A sheet name Excel accepts (at most 31 characters, none of ``[]:*?/\\``), unique in the book."""
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:SHEET_NAME_LENGTH].strip()
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name
