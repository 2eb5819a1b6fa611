"""Network-wide statistics: one dimension of one period with a row per organisation, protected against
every organisation's own table (``domain/network.py``, docs/statistics.md "Network-wide tables").

Anyone who may read statistics in at least one organisation of the network may read these: they
identify no organisation with few cases, and show no figure an organisation's own table hides. Fails
closed like the organisations' tables: no safe pattern, no figure.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import Field

from klachtspoor.disclosure import ProtectedTable, SuppressionError, column_percentages, percentage, to_csv
from klachtspoor.http.problems import Problem
from klachtspoor.http.security import CurrentPrincipal
from services.reporting.domain.network import network_dimension_table
from services.reporting.domain.tables import Period, PublishedDimension, value_label
from services.reporting.entrypoints.http import STATISTICS_READERS, Reader
from services.reporting.entrypoints.models import Cell, Labelled
from services.reporting.entrypoints.models import Response as Body
from services.reporting.entrypoints.statistics import (
    CSV,
    Format,
    FormatQuery,
    PeriodQuery,
    requested_period,
    threshold_of,
    withheld,
)

router = APIRouter(prefix="/v1/network/statistics", tags=["reporting"])


class NetworkRow(Body):
    organisation: str
    cells: tuple[Cell, ...]
    total: Cell
    total_percentage: float | None


class NetworkTable(Body):
    """Organisations by the values of one dimension in one period; small organisations merged."""

    dimension: str
    period: str
    columns: tuple[Labelled, ...]
    rows: tuple[NetworkRow, ...]
    column_totals: tuple[Cell, ...]
    total: Cell
    column_percentages: tuple[tuple[float | None, ...], ...] = Field(
        description="Per row, each cell as a percentage of its column total (null under the base)"
    )
    threshold: int
    percentage_base: int


@router.get("/{dimension}", response_model=NetworkTable, responses={200: {"content": {"text/csv": {}}}})
async def network_statistics(
    dimension: PublishedDimension,
    principal: CurrentPrincipal,
    reader: Reader,
    request: Request,
    period: PeriodQuery = None,
    format: FormatQuery = Format.JSON,
) -> NetworkTable | Response:
    """One dimension of one period over every organisation (docs/statistics.md, "Network-wide tables")."""
    if not any(principal.has_any_role_in(tenant, STATISTICS_READERS) for tenant in principal.tenants):
        wanted = ", ".join(sorted(r.value for r in STATISTICS_READERS))
        raise Problem(403, "Forbidden", f"This needs one of the roles, in any organisation: {wanted}")
    chosen = requested_period(period)
    by_tenant = {tenant: await reader.figures(tenant) for tenant in await reader.statistics_tenants()}
    try:
        table = network_dimension_table(by_tenant, dimension, chosen, threshold_of(request))
    except SuppressionError as error:
        raise withheld(f"network statistics {dimension.value} of {chosen}", error) from error
    match format:
        case Format.CSV:
            labels = tuple(value_label(dimension, code) or code for code in table.columns)
            if len(set(labels)) == len(labels):
                table = table.model_copy(update={"columns": labels})
            return Response(to_csv(table), media_type=CSV)
        case Format.JSON:
            return _body(dimension, chosen, table)


def _cell(cell: object) -> Cell:
    return Cell.model_validate(cell, from_attributes=True)


def _body(dimension: PublishedDimension, period: Period, table: ProtectedTable) -> NetworkTable:
    return NetworkTable(
        dimension=dimension.value,
        period=str(period),
        columns=tuple(Labelled(code=code, label=value_label(dimension, code)) for code in table.columns),
        rows=tuple(
            NetworkRow(
                organisation=name,
                cells=tuple(_cell(c) for c in cells),
                total=_cell(total),
                total_percentage=percentage(total, table.total, table.percentage_base),
            )
            for name, cells, total in zip(table.rows, table.cells, table.row_totals, strict=True)
        ),
        column_totals=tuple(_cell(c) for c in table.column_totals),
        total=_cell(table.total),
        column_percentages=column_percentages(table),
        threshold=table.threshold,
        percentage_base=table.percentage_base,
    )
