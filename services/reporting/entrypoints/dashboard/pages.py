"""The dashboard's pages: which tenant, the overview of open cases and terms, and the trends.

The overview counts the cases that run now. Case readers see those counts as they are, each a link to
the cases behind it; managers, who may read statistics but no case, see the same tables protected by
disclosure control, without links. The trends are statistics and are always protected, exactly as the
statistics API protects them (``protected_dimension_table``: the same linked tables of the year, the same
threshold), so a figure on the page is the figure of the API's JSON for the same tenant and period
(docs/dashboard.md).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from klachtspoor.disclosure import ProtectedTable, SuppressionError, Table, protect
from services.reporting.domain.dashboard import breach_table, due_table, open_table, week_end
from services.reporting.domain.tables import (
    Period,
    PublishedDimension,
    handling_time,
    protected_dimension_table,
    value_label,
)
from services.reporting.entrypoints.dashboard import labels
from services.reporting.entrypoints.dashboard.access import (
    Viewer,
    dashboard_reader,
    dashboard_tenants,
    signed_in,
    threshold_of,
)
from services.reporting.entrypoints.dashboard.charts import Chart, rows_chart, totals_chart
from services.reporting.entrypoints.dashboard.render import DashboardError, page
from services.reporting.entrypoints.dashboard.session import PATH, viewer
from services.reporting.entrypoints.dashboard.views import Grid, Link, counted_grid, narrowed, protected_grid
from services.reporting.entrypoints.http import reader_of

log = logging.getLogger(__name__)

router = APIRouter(prefix=PATH, include_in_schema=False)


def cases_link(tenant: str, **query: str) -> str:
    return f"{PATH}/{tenant}/zaken?{urlencode(query)}"


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> Response:
    """Straight to the one tenant the token may see; a choice when it holds several."""
    principal = await viewer(request)
    tenants = dashboard_tenants(principal)
    if not tenants:
        raise DashboardError(403, "Uw rollen geven geen toegang tot een dashboard.")
    if len(tenants) == 1:
        return RedirectResponse(f"{PATH}/{tenants[0]}", status_code=303)
    return page(request, "tenants.html.j2", {"tenants": tenants, "signed_in": True})


def _withheld(key: str, error: SuppressionError) -> None:
    log.error("Dashboard table %s withheld: %s", key, error)


def _shown(
    seen: Viewer,
    request: Request,
    key: str,
    table: Table,
    link: Link,
    *,
    caption: str,
    row_header: str,
    row_labels: Callable[[str], str],
    column_labels: Callable[[str], str],
) -> Grid | None:
    """The table as this viewer may see it: counted for case readers, protected for the others (None
    when disclosure control cannot protect it: nothing of it is shown)."""
    if seen.reads_cases:
        return narrowed(
            counted_grid(
                key,
                table,
                caption=caption,
                row_header=row_header,
                labels=row_labels,
                column_labels=column_labels,
                link=link,
            )
        )
    try:
        protected = protect(table, threshold=threshold_of(request))
    except SuppressionError as error:
        _withheld(key, error)
        return None
    return narrowed(
        protected_grid(
            key,
            protected,
            caption=caption,
            row_header=row_header,
            labels=row_labels,
            column_labels=column_labels,
        )
    )


@router.get("/{tenant}", response_class=HTMLResponse)
async def overview(request: Request, tenant: str) -> HTMLResponse:
    seen = await signed_in(request, tenant)
    reader = dashboard_reader(request)
    today = seen.today
    open_counts, breach_counts = await reader.open_counts(tenant)
    opened = open_table(open_counts)
    due = due_table(await reader.due_counts(tenant, week_end(today)), today)
    breached = breach_table(breach_counts)

    def open_link(step: str | None, status: str | None) -> str:
        query = {"lopend": "ja"} | ({"trede": step} if step else {}) | ({"status": status} if status else {})
        return cases_link(tenant, **query)

    def due_link(kind: str | None, bucket: str | None) -> str | None:
        if kind is None or bucket is None:
            return None  # a total counts terms; a case can have several
        return cases_link(tenant, lopend="ja", termijn=kind, wanneer=bucket)

    def breach_link(kind: str | None, _: str | None) -> str | None:
        return None if kind is None else cases_link(tenant, lopend="ja", overschreden=kind)

    grids = {
        "open": _shown(
            seen,
            request,
            "open",
            opened,
            open_link,
            caption="Lopende zaken per hoogste trede en status",
            row_header="hoogste trede",
            row_labels=labels.step_label,
            column_labels=labels.status_label,
        ),
        "due": _shown(
            seen,
            request,
            "due",
            due,
            due_link,
            caption=f"Lopende termijnen: verlopen en deze week (t/m {labels.short_date(week_end(today))})",
            row_header="termijn",
            row_labels=labels.deadline_label,
            column_labels=labels.column_label,
        ),
        "breached": _shown(
            seen,
            request,
            "breached",
            breached,
            breach_link,
            caption="Lopende zaken met een overschreden termijn",
            row_header="termijn",
            row_labels=labels.deadline_label,
            column_labels=labels.column_label,
        ),
    }
    context = {"seen": seen, "grids": grids, "current": "overview", "signed_in": True}
    return page(request, "overview.html.j2", context)


def _year(text: str | None, seen: Viewer) -> Period:
    if text is None:
        return Period(seen.today.year, None)
    if not (text.isdigit() and len(text) == 4 and text[0] != "0"):
        raise DashboardError(422, "Kies een jaar van vier cijfers, zoals 2026.")
    period = Period(int(text), None)
    if period.starts_after(seen.today):
        raise DashboardError(422, f"Het jaar {text} is nog niet begonnen.")
    return period


@router.get("/{tenant}/trends", response_class=HTMLResponse)
async def trends(request: Request, tenant: str, jaar: str | None = None) -> HTMLResponse:
    seen = await signed_in(request, tenant)
    period = _year(jaar, seen)
    threshold = threshold_of(request)
    figures = await reader_of(request).figures(tenant)
    years = sorted(
        {int(f.period) for f in figures.counts if len(f.period) == 4} | {seen.today.year}, reverse=True
    )
    sections: list[TrendSection] = []
    for dimension in PublishedDimension:
        title = labels.DIMENSION_TITLES[dimension]
        try:
            protected = protected_dimension_table(figures, dimension, period, threshold)
        except SuppressionError as error:
            _withheld(dimension.value, error)
            sections.append(TrendSection(title, None, None))
            continue
        grid = _trend_grid(seen, dimension, protected)
        if dimension is PublishedDimension.CHANNEL:  # each case once: the column totals count cases
            chart = totals_chart(grid, title=f"Ontvangen zaken per kwartaal, {period}", label="zaken")
            sections.insert(0, TrendSection("Zaken per kwartaal", None, chart, totals=grid))
        sections.append(TrendSection(title, grid, rows_chart(grid, title=f"{title} per kwartaal, {period}")))
    context = {
        "seen": seen,
        "period": period,
        "years": years,
        "sections": sections,
        "handling": handling_time(figures, period, threshold),
        "threshold": threshold,
        "current": "trends",
        "signed_in": True,
    }
    return page(request, "trends.html.j2", context)


@dataclass(frozen=True, slots=True)
class TrendSection:
    """One section of the trends page: a protected table and its chart (both None: withheld), or the
    cases per quarter (``totals``: the channel table, whose column totals count every case once)."""

    title: str
    grid: Grid | None
    chart: Chart | None
    totals: Grid | None = None


def _trend_grid(seen: Viewer, dimension: PublishedDimension, table: ProtectedTable) -> Grid:
    def link(value: str | None, quarter: str | None) -> str | None:
        if value is None:
            return None  # a column total of a dimension with several values per case counts pairs
        period = quarter or table.columns[0][:4]
        return cases_link(seen.tenant, periode=period, dimensie=dimension.value, waarde=value)

    return protected_grid(
        dimension.value,
        table,
        caption=f"{labels.DIMENSION_TITLES[dimension]} per kwartaal",
        row_header=labels.DIMENSION_ROW_HEADERS[dimension],
        labels=lambda code: value_label(dimension, code) or code,
        column_labels=labels.quarter_label,
        link=link if seen.reads_cases else None,
    )
