"""A report as the JSON document the API serves (``?format=json``): the protected report model, every
table as :func:`~klachtspoor.disclosure.to_json` gives it (a suppressed cell ``{"value": null,
"suppressed": true}``) with its Dutch labels beside the codes."""

from __future__ import annotations

from typing import Any

from klachtspoor.disclosure import to_json
from services.reporting.domain.reports.model import Report, ReportTable


def report_document(report: Report) -> dict[str, Any]:
    handled = report.handling_time
    return {
        "report": report.name.value,
        "title": report.title,
        "tenant": report.tenant,
        "letterhead": {
            "name": report.letterhead.name,
            "email": report.letterhead.email,
            "phone": report.letterhead.phone,
            "website": report.letterhead.website,
        },
        "period": report.period,
        "period_label": report.period_label,
        "made_on": report.made_on.isoformat(),
        "threshold": report.threshold,
        "disclosure_note": report.disclosure_note,
        "handling_time": None
        if handled is None
        else {
            "cases_ended": handled.cases_ended,
            "median_working_days": handled.median,
            "p90_working_days": handled.p90,
            "suppressed": handled.suppressed,
        },
        "sections": [
            {
                "heading": section.heading,
                "paragraphs": list(section.paragraphs),
                "tables": [_table(table) for table in section.tables],
            }
            for section in report.sections
        ],
    }


def _table(table: ReportTable) -> dict[str, Any]:
    return {
        "key": table.key,
        "title": table.title,
        "row_heading": table.row_heading,
        "row_labels": list(table.row_labels),
        "column_labels": list(table.column_labels),
        "note": table.note,
        **to_json(table.table),
    }
