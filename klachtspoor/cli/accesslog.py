"""CLI group ``access-log``: who looked at a case, and what a person looked at (NEN 7513).

For the privacy officer (functionaris gegevensbescherming) on the command line; the same reads will be
offered over HTTP to the ``privacy_officer`` role. The work is done by the access log port
(:mod:`klachtspoor.accesslog`); this module connects, reads and prints, a table for people (Dutch headings)
or ``--json`` for programs (one object per record, in recorded order).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Annotated
from uuid import UUID

import typer
from rich.console import Console
from rich.table import Table

from contracts.labels import label
from klachtspoor.accesslog import AccessLog, AccessLogError, AccessOutcome, AccessRecord
from klachtspoor.accesslog.postgres import PostgresAccessLog
from klachtspoor.cli.database import database_url

app = typer.Typer(no_args_is_help=True)

Tenant = Annotated[str, typer.Argument(help="Slug of the organisation (tenant).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the records as JSON.")]


@app.command("case")
def case_command(
    tenant: Tenant,
    case_id: Annotated[UUID, typer.Argument(help="Id of the case.")],
    as_json: AsJson = False,
) -> None:
    """Who saw this case file: every read of the case, served or refused, in recorded order."""
    records = _read(lambda log: log.for_case(tenant, case_id))
    _print(records, as_json, empty=f"Niemand heeft zaak {case_id} ingezien (tenant {tenant})")


@app.command("person")
def person_command(
    tenant: Tenant,
    subject: Annotated[str, typer.Argument(help="The person's subject id at the identity provider.")],
    as_json: AsJson = False,
) -> None:
    """What this person saw: every read they made in the tenant, in recorded order."""
    records = _read(lambda log: log.for_subject(tenant, subject))
    _print(records, as_json, empty=f"{subject} heeft niets ingezien (tenant {tenant})")


def _read(query: Callable[[AccessLog], Awaitable[list[AccessRecord]]]) -> list[AccessRecord]:
    url = database_url()

    async def main() -> list[AccessRecord]:
        log = await PostgresAccessLog.open(url)
        try:
            return await query(log)
        finally:
            await log.close()

    try:
        return asyncio.run(main())
    except AccessLogError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error


def _print(records: list[AccessRecord], as_json: bool, *, empty: str) -> None:
    if as_json:
        typer.echo(json.dumps([r.model_dump(mode="json") for r in records], indent=2, ensure_ascii=False))
        return
    console = Console()
    if not records:
        console.print(empty)
        return
    console.print(_table(records))


def _table(records: list[AccessRecord]) -> Table:
    table = Table("tijdstip (UTC)", "wie", "rol")
    table.add_column("zaak", no_wrap=True, min_width=36)
    for column in ("getoond", "via", "uitkomst"):
        table.add_column(column, overflow="fold")
    for r in records:
        outcome = "getoond" if r.outcome is AccessOutcome.SERVED else f"geweigerd ({r.status})"
        table.add_row(
            r.at.isoformat(timespec="seconds"),
            r.subject,
            "geen rol" if r.role is None else label(r.role),
            str(r.case_id),
            ", ".join(r.shown) or "—",
            r.channel,
            outcome,
        )
    return table
