"""The formats a report is rendered in, and the one function that renders it."""

from __future__ import annotations

from enum import StrEnum
from typing import assert_never

import orjson

from services.reporting.adapters.reports.csv_report import render_csv
from services.reporting.adapters.reports.document import report_document
from services.reporting.adapters.reports.xlsx_report import render_xlsx
from services.reporting.domain.reports.model import Report


class ReportFormat(StrEnum):
    JSON = "json"
    PDF = "pdf"
    CSV = "csv"
    XLSX = "xlsx"

    @property
    def media_type(self) -> str:
        match self:
            case ReportFormat.JSON:
                return "application/json"
            case ReportFormat.PDF:
                return "application/pdf"
            case ReportFormat.CSV:
                return "text/csv; charset=utf-8"
            case ReportFormat.XLSX:
                return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            case _:
                assert_never(self)


def render(report: Report, format: ReportFormat) -> bytes:
    match format:
        case ReportFormat.JSON:
            return orjson.dumps(report_document(report), option=orjson.OPT_INDENT_2)
        case ReportFormat.PDF:
            # fpdf2 loads with the first PDF asked for: importing it costs seconds of CPU at every start.
            from services.reporting.adapters.reports.pdf_report import render_pdf

            return render_pdf(report)
        case ReportFormat.CSV:
            return render_csv(report)
        case ReportFormat.XLSX:
            return render_xlsx(report)
        case _:
            assert_never(format)
