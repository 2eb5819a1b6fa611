"""CLI group ``projections``: list the registered projections, rebuild one or all of them.

The projections come from the ``klachtspoor.projections`` entry points the services register
(:mod:`klachtspoor.projections.registry`). A rebuild runs beside the live services: it builds into
shadow tables and swaps them in with the checkpoint in one transaction (docs/projections.md).
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import asyncpg
import typer
from rich.console import Console
from rich.progress import TaskID
from rich.table import Table

from klachtspoor import pgconnect
from klachtspoor.bootstrap import open_adapter
from klachtspoor.cli.bars import progress_bars
from klachtspoor.cli.database import database_url
from klachtspoor.projections import (
    RebuildableProjection,
    RebuildResult,
    UnknownProjection,
    default_processes,
    load_projection,
    rebuild_projection,
    registered,
)
from klachtspoor.settings import Settings, get_settings

app = typer.Typer(no_args_is_help=True)

_TIMEOUTS = pgconnect.Timeouts(command=3600.0, acquire=10.0)
"""A rebuild's statements (an index over a million rows, the swap) may take longer than a request's."""


def _projections(settings: Settings, name: str | None) -> list[RebuildableProjection]:
    names = [name] if name is not None else list(registered())
    try:
        return [load_projection(each, settings) for each in names]
    except UnknownProjection as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from None


@app.command("list")
def list_command() -> None:
    """The registered projections: name (the subscriber), tables, what they keep."""
    database_url()
    settings = get_settings()
    table = Table("name", "tables", "what")
    for projection in _projections(settings, None):
        table.add_row(projection.name, ", ".join(projection.tables), projection.description)
    Console().print(table)


@app.command("rebuild")
def rebuild_command(
    name: Annotated[str | None, typer.Argument(help="The projection (default: every one).")] = None,
    page: Annotated[int, typer.Option(min=100, help="Events read per page of the global log.")] = 5000,
    processes: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Processes that fold a per-stream projection, each a share of the streams "
            "(default: the cores, at most 4).",
        ),
    ] = None,
) -> None:
    """Rebuild from the start of the log into shadow tables and swap them in, while the services run."""
    database_url()
    settings = get_settings()
    projections = _projections(settings, name)
    console = Console(stderr=True)
    count = default_processes() if processes is None else processes
    results = asyncio.run(_rebuild_all(settings, projections, page, count, console))
    for result in results:
        typer.echo(
            f"{result.name}: {result.events} events in {result.seconds:.1f} s "
            f"({result.events_per_s:,.0f} events/s, {result.processes} process(es)), {result.parked} parked, "
            f"checkpoint {result.checkpoint}"
        )


async def _rebuild_all(
    settings: Settings, projections: list[RebuildableProjection], page: int, processes: int, console: Console
) -> list[RebuildResult]:
    store = await open_adapter(settings, pool_size=2)
    results = []
    try:
        for projection in projections:
            conn = await pgconnect.connect(projection.database_url, _TIMEOUTS)
            try:
                total = await _log_size(conn, settings, projection)
                with progress_bars(console, per_second=True, remaining=True) as progress:
                    task = progress.add_task(projection.name, total=total)

                    def advance(events: int, task_id: TaskID = task) -> None:
                        progress.update(task_id, completed=events)

                    result = await rebuild_projection(
                        store,
                        conn,
                        projection,
                        page=page,
                        progress=advance,
                        processes=processes,
                        settings=settings,
                    )
                    progress.update(task, total=result.events, completed=result.events)
                results.append(result)
            finally:
                await conn.close()
    finally:
        await store.close()
    return results


async def _log_size(
    conn: asyncpg.Connection, settings: Settings, projection: RebuildableProjection
) -> int | None:
    """How many events the rebuild will read, for the progress bar: counted in PostgreSQL's event table
    (by stream prefix; other filters are left out, so it can be an upper bound), unknown on EventStoreDB."""
    if settings.eventstore_url or await conn.fetchval("SELECT to_regclass('eventstore.events')") is None:
        return None
    prefixes = None if projection.filter is None else projection.filter.stream_prefixes
    patterns = (
        None
        if prefixes is None
        else [p.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for p in prefixes]
    )
    count = await conn.fetchval(
        "SELECT count(*) FROM eventstore.events WHERE $1::text[] IS NULL OR stream_name LIKE ANY($1::text[])",
        patterns,
    )
    return int(count)
