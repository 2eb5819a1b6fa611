"""The statistics API: one dimension of one period as a table protected by disclosure control, in JSON or
(``?format=csv``) as CSV with CBS's ``x`` for a suppressed figure (docs/statistics.md).

Only a :class:`~klachtspoor.disclosure.ProtectedTable` is rendered: the raw counts never reach a
response. A statistics request never fails open: when suppression cannot be computed
(:class:`~klachtspoor.disclosure.SuppressionError`) the answer is a 500 problem and no figure at all.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from klachtspoor.calendar import local_date
from klachtspoor.disclosure import ProtectedTable, SuppressionError, to_csv
from klachtspoor.http.problems import Problem
from klachtspoor.http.security import CurrentPrincipal, authorize
from services.reporting.domain.tables import (
    PERIOD_PATTERN,
    Period,
    PublishedDimension,
    handling_time,
    protected_dimension_table,
    value_label,
)
from services.reporting.entrypoints.http import STATISTICS_READERS, Reader
from services.reporting.entrypoints.models import StatisticsTable, statistics_table

log = logging.getLogger(__name__)

CSV = "text/csv; charset=utf-8"
DEFAULT_THRESHOLD = 5


class Format(StrEnum):
    JSON = "json"
    CSV = "csv"


PeriodQuery = Annotated[
    str | None,
    Query(
        pattern=PERIOD_PATTERN,
        description="A year (2026: one column per quarter) or a quarter (2026-Q1); default this year",
    ),
]
FormatQuery = Annotated[Format, Query(description="json (default) or csv (a suppressed figure is x)")]

router = APIRouter(prefix="/v1/tenants/{tenant}/statistics", tags=["reporting"])


@router.get("/categories", response_model=StatisticsTable, responses={200: {"content": {"text/csv": {}}}})
async def category_statistics(
    tenant: str,
    principal: CurrentPrincipal,
    reader: Reader,
    request: Request,
    period: PeriodQuery = None,
    format: FormatQuery = Format.JSON,
) -> StatisticsTable | Response:
    """The ``category`` table, protected (the same as ``/statistics/category``)."""
    return await _table(request, reader, principal, tenant, PublishedDimension.CATEGORY, period, format)


@router.get("/{dimension}", response_model=StatisticsTable, responses={200: {"content": {"text/csv": {}}}})
async def dimension_statistics(
    tenant: str,
    dimension: PublishedDimension,
    principal: CurrentPrincipal,
    reader: Reader,
    request: Request,
    period: PeriodQuery = None,
    format: FormatQuery = Format.JSON,
) -> StatisticsTable | Response:
    """One dimension of one period: values by quarters, small counts suppressed (docs/statistics.md)."""
    return await _table(request, reader, principal, tenant, dimension, period, format)


async def _table(
    request: Request,
    reader: Reader,
    principal: CurrentPrincipal,
    tenant: str,
    dimension: PublishedDimension,
    period_text: str | None,
    format: Format,
) -> StatisticsTable | Response:
    authorize(principal, tenant, STATISTICS_READERS)
    period = requested_period(period_text)
    threshold = threshold_of(request)
    # Protected as the whole year, with the tables it shares figures with: that year's cases, all of them.
    figures = await reader.figures(tenant, Period(period.year, None))
    try:
        protected = protected_dimension_table(figures, dimension, period, threshold)
    except SuppressionError as error:
        raise withheld(f"statistics {dimension.value} of {period}", error) from error
    match format:
        case Format.CSV:
            return Response(to_csv(_labelled(protected, dimension)), media_type=CSV)
        case Format.JSON:
            return statistics_table(
                tenant, dimension, period, protected, handling_time(figures, period, threshold)
            )


def requested_period(text: str | None) -> Period:
    """The period asked for (default: this Dutch calendar year); 422 for one that has not begun."""
    today = local_date(datetime.now(UTC))
    period = Period(today.year, None) if text is None else Period.parse(text)
    if period.starts_after(today):
        raise Problem(
            422,
            "Invalid request",
            f"query.period {period} lies in the future",
            errors=[{"field": "query.period", "message": "the period has not begun yet"}],
        )
    return period


def withheld(what: str, error: SuppressionError) -> Problem:
    """The answer when disclosure control fails: a 500 with no figure at all, and a log line."""
    log.error("%s withheld: %s", what, error)
    return Problem(
        500,
        "Statistics withheld",
        "Disclosure control could not be computed for this table; nothing is published",
        rule="suppression_failed",
    )


def threshold_of(request: Request) -> int:
    threshold = getattr(request.app.state, "statistics_threshold", DEFAULT_THRESHOLD)
    if not isinstance(threshold, int):
        raise RuntimeError("app.state.statistics_threshold must be an int: the reporting bootstrap sets it")
    return threshold


def _labelled(table: ProtectedTable, dimension: PublishedDimension) -> ProtectedTable:
    """The table with Dutch labels as row names for CSV (people read it); codes where there is none."""
    rows = tuple(value_label(dimension, code) or code for code in table.rows)
    if len(set(rows)) != len(rows):
        return table
    return table.model_copy(update={"rows": rows})
