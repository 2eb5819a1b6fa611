"""CLI group ``anchor``: record an anchor over the global log now, and export every recorded anchor.

``record`` extends the last anchor over what was appended since (the reporting process does the same
periodically); ``export`` writes the anchors as JSON lines, the file an auditor keeps outside the
database and later hands to ``klachtspoor verify --anchors``. Exit 3 when a store cannot be read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from klachtspoor.bootstrap import open_adapter
from klachtspoor.cli.database import database_url
from klachtspoor.eventstore.errors import EventStoreError
from klachtspoor.integrity.anchors import export_lines, record_anchor
from klachtspoor.integrity.anchorstore import AnchorsError, PostgresAnchors
from klachtspoor.settings import get_settings

app = typer.Typer(no_args_is_help=True)
T = TypeVar("T")
UNREADABLE = 3


@app.command("record")
def record_command() -> None:
    """Record an anchor over every event appended so far."""

    async def record(anchors: PostgresAnchors) -> str:
        store = await open_adapter(get_settings(), pool_size=2)
        try:
            anchor = await record_anchor(store, anchors)
        finally:
            await store.close()
        if anchor is None:
            return "Niets nieuws sinds het laatste anker"
        return f"Anker over {anchor.count} gebeurtenissen tot {anchor.position}: {anchor.digest}"

    typer.echo(_with_anchors(record))


@app.command("export")
def export_command(
    output: Annotated[Path | None, typer.Option(help="Write to this file instead of stdout.")] = None,
) -> None:
    """Every recorded anchor as JSON lines, oldest first."""

    async def read(anchors: PostgresAnchors) -> list[str]:
        return list(export_lines(await anchors.all()))

    lines = _with_anchors(read)
    text = "".join(f"{line}\n" for line in lines)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"{len(lines)} ankers geschreven naar {output}", err=True)


def _with_anchors(work: Callable[[PostgresAnchors], Awaitable[T]]) -> T:
    url = database_url()

    async def main() -> T:
        anchors = await PostgresAnchors.open(url)
        try:
            return await work(anchors)
        finally:
            await anchors.close()

    try:
        return asyncio.run(main())
    except (AnchorsError, EventStoreError) as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(UNREADABLE) from error
