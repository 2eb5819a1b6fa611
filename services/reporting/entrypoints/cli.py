"""``klachtspoor report NAME TENANT --period P --format pdf|csv|xlsx|json --output FILE``: a report of
the procedures from reporting's read model (``KLACHTSPOOR_DATABASE_URL``), the same report the HTTP API
gives for that period on the same day (docs/reports.md).

The shared ``klachtspoor`` command may import no service, so reporting registers :func:`report` under the
``klachtspoor.commands`` entry points (``pyproject.toml``). It is an operator's command on the database
itself, so it checks no role; what it writes holds protected tables only.
Exit codes: 0 written, 1 not published (suppression could not be computed) or the database unavailable,
2 bad input (report, tenant, period; nothing is written).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import asyncpg
import typer

from klachtspoor.calendar import local_date
from klachtspoor.cli.database import database_url
from klachtspoor.disclosure import SuppressionError
from klachtspoor.settings import get_settings
from klachtspoor.tenants import Tenant, TenantRegistry, UnknownTenant
from services.reporting.adapters.reports.formats import ReportFormat, render
from services.reporting.application.reports import ReportNotForTenant, check_report, read_report
from services.reporting.domain.reports.jaaranalyse import NotAYear
from services.reporting.domain.reports.model import Report, ReportName
from services.reporting.domain.tables import Period
from services.reporting.settings import ReportingSettings


def report(
    name: Annotated[ReportName, typer.Argument(help="jaaranalyse, kwartaalrapportage or trendrapportage.")],
    tenant: Annotated[str, typer.Argument(help="Slug of the organisation (tenant).")],
    period: Annotated[str, typer.Option("--period", help="A year (2026) or a quarter (2026-Q1).")],
    output: Annotated[Path, typer.Option("--output", help="The file to write.", dir_okay=False)],
    format: Annotated[
        ReportFormat, typer.Option("--format", help="pdf, csv, xlsx or json.")
    ] = ReportFormat.PDF,
) -> None:
    """A report of the procedures as a file, its figures protected by disclosure control."""
    try:
        asked = Period.parse(period)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--period") from None
    today = local_date(datetime.now(UTC))
    if asked.starts_after(today):
        raise typer.BadParameter(f"{asked} lies in the future", param_hint="--period")
    settings = ReportingSettings()
    try:
        organisation = TenantRegistry.from_settings(get_settings()).get(tenant)
        check_report(name, organisation)
    except UnknownTenant as error:
        raise typer.BadParameter(str(error), param_hint="TENANT") from None
    except ReportNotForTenant as error:
        raise typer.BadParameter(str(error), param_hint="NAME") from None
    url = database_url()
    try:
        made = asyncio.run(_read(url, name, organisation, asked, settings.statistics_threshold, today))
    except NotAYear as error:
        raise typer.BadParameter(str(error), param_hint="--period") from None
    except SuppressionError as error:
        typer.echo(f"Not published: disclosure control could not be computed ({error})", err=True)
        raise typer.Exit(1) from None
    except (OSError, asyncpg.PostgresError) as error:
        typer.echo(f"Read model unavailable: {error}", err=True)
        raise typer.Exit(1) from None
    output.write_bytes(render(made, format))
    typer.echo(f"{made.title} ({made.letterhead.name}) geschreven naar {output}")


async def _read(
    url: str, name: ReportName, organisation: Tenant, period: Period, threshold: int, today: date
) -> Report:
    conn = await asyncpg.connect(url)
    try:
        return await read_report(conn, name, organisation, period, threshold=threshold, made_on=today)
    finally:
        await conn.close()
