"""CLI group ``eventstore``: moving house from one event store to another (deploy/README.md, "Moving to
EventStoreDB").

``copy --to esdb://…`` copies every event of the configured store (or ``--from``) into an EventStoreDB
one, resumable after an interruption, and then compares the two; ``forget-checkpoints`` deletes every
subscriber's position in the old store once the services use the new one. Exit codes of ``copy``: 0 the
target is the source, 1 the check found a difference, 2 wrong usage, 3 a store could not be read or
written, 4 the target holds other events (nothing is copied into it).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from klachtspoor.cli.projections import EventsPerSecond
from klachtspoor.eventstore.errors import EventStoreError
from klachtspoor.settings import Settings, get_settings

if TYPE_CHECKING:
    from klachtspoor.integrity.anchors import Anchor
    from klachtspoor.moving.check import Comparison
    from klachtspoor.moving.copy import CopyResult
    from klachtspoor.moving.stores import StoreAddress

app = typer.Typer(no_args_is_help=True)
IDENTICAL, DIFFERENT, USAGE, UNREACHABLE, CONFLICT = 0, 1, 2, 3, 4


@app.command("copy")
def copy_command(
    to: Annotated[str, typer.Option("--to", help="The EventStoreDB to copy into (esdb://…).")],
    namespace: Annotated[
        str | None,
        typer.Option(help="The target's namespace (default: KLACHTSPOOR_EVENTSTORE_NAMESPACE)."),
    ] = None,
    source_url: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="The store to copy (default: the configured one, KLACHTSPOOR_EVENTSTORE_URL or else "
            "KLACHTSPOOR_DATABASE_URL).",
        ),
    ] = None,
    page: Annotated[int, typer.Option(min=1, max=5000, help="Events read from the source at a time.")] = 500,
    check: Annotated[
        bool, typer.Option(help="Afterwards compare every event and stream and verify the target's chains.")
    ] = True,
) -> None:
    """Copy the event store into EventStoreDB (resumable: run it again after an interruption)."""
    from klachtspoor.moving.stores import StoreAddress, UnsuitableStores, check_addresses

    settings = get_settings()
    source = StoreAddress(
        source_url or settings.eventstore_url or settings.database_url, settings.eventstore_namespace
    )
    target = StoreAddress(to, settings.eventstore_namespace if namespace is None else namespace)
    if not source.url:
        _fail("Name the store to copy with --from or KLACHTSPOOR_DATABASE_URL", USAGE)
    try:
        check_addresses(source, target)
    except UnsuitableStores as error:
        _fail(str(error), USAGE)
    console = Console(stderr=True)
    try:
        result, comparison = asyncio.run(_copy(settings, source, target, page, check, console))
    except EventStoreError as error:
        from klachtspoor.moving.copy import CopyConflict

        if isinstance(error, CopyConflict):
            _fail(f"Niets gekopieerd: {error}", CONFLICT)
        _fail(f"Cannot copy from {source} to {target}: {error}", UNREACHABLE)
    out = Console()
    out.print(
        f"Gekopieerd naar {target}: {result.copied} gebeurtenissen in {result.appends} keer toevoegen"
        f" ({result.found} stonden er al); het doel heeft nu {result.events} gebeurtenissen van de bron"
    )
    if comparison is None:
        raise typer.Exit(IDENTICAL)
    _print_comparison(comparison, out)
    raise typer.Exit(IDENTICAL if comparison.identical else DIFFERENT)


def _fail(message: str, code: int) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code)


async def _copy(
    settings: Settings,
    source: StoreAddress,
    target: StoreAddress,
    page: int,
    check: bool,
    console: Console,
) -> tuple[CopyResult, Comparison | None]:
    from klachtspoor.moving import compare_stores, copy_store
    from klachtspoor.moving.stores import open_source, open_target

    total = await _source_size(source)
    origin = await open_source(source)
    try:
        destination = await open_target(target, settings.max_event_bytes)
        try:
            with _progress(console) as bar:
                copying = bar.add_task("Kopiëren", total=total)
                result = await copy_store(
                    origin,
                    destination,
                    page=page,
                    progress=lambda done: bar.update(copying, completed=done),
                )
                bar.update(copying, total=result.events, completed=result.events)
                if not check:
                    return result, None
                anchors = await _anchors(settings)
                tasks = {
                    "log": bar.add_task("Vergelijken (log, ketens)", total=result.events),
                    "streams": bar.add_task("Vergelijken (stromen)", total=result.events),
                }
                comparison = await compare_stores(
                    origin,
                    destination,
                    anchors=anchors,
                    progress=lambda phase, done: bar.update(tasks[phase], completed=done),
                )
            return result, comparison
        finally:
            await destination.close()
    finally:
        await origin.close()


async def _source_size(source: StoreAddress) -> int | None:
    """Events in a PostgreSQL source, for the progress bar; unknown for EventStoreDB."""
    if source.is_esdb:
        return None
    from klachtspoor import pgconnect

    conn = await pgconnect.connect(source.url)
    try:
        if await conn.fetchval("SELECT to_regclass('eventstore.events')") is None:
            return 0
        return int(await conn.fetchval("SELECT count(*) FROM eventstore.events"))
    finally:
        await conn.close()


async def _anchors(settings: Settings) -> list[Anchor]:
    """The anchors recorded over the source's log (in PostgreSQL, with either store)."""
    if not settings.database_url:
        return []
    from klachtspoor.integrity.anchorstore import PostgresAnchors

    table = await PostgresAnchors.open(settings.database_url)
    try:
        return await table.all()
    finally:
        await table.close()


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        EventsPerSecond(),
        TimeElapsedColumn(),
        console=console,
    )


def _print_comparison(comparison: Comparison, out: Console) -> None:
    counted = f"{comparison.events} gebeurtenissen in {comparison.streams} stromen"
    if comparison.difference is not None:
        out.print(f"[bold red]Verschil[/]: {comparison.difference}")
    if comparison.chain_break is not None:
        out.print(f"[bold red]Keten gebroken[/] in het doel: {comparison.chain_break.describe()}")
    if comparison.anchor_break is not None:
        out.print(f"[bold red]Anker wijkt af[/]: {comparison.anchor_break}")
    if comparison.identical:
        out.print(
            f"[bold green]Gelijk[/]: {counted}, in dezelfde volgorde; ketens intact,"
            f" {comparison.anchors_held} ankers kloppen"
        )
    else:
        out.print(f"Tot het verschil: {counted} gelijk")


@app.command("forget-checkpoints")
def forget_checkpoints_command(
    yes: Annotated[bool, typer.Option("--yes", help="Yes: every subscriber is stopped.")] = False,
) -> None:
    """After switching to the new store: delete every subscriber's checkpoint (positions in the old
    store), so the relay and the subscribers start from the new store's beginning; ledgers stay."""
    from klachtspoor.moving.checkpoints import forget_checkpoints
    from klachtspoor.projections import load_projection, registered

    if not yes:
        _fail("Stop the relay and every service first, then run this again with --yes", USAGE)
    settings = get_settings()
    urls = [settings.database_url] if settings.database_url else []
    urls += [load_projection(name, settings).database_url for name in registered()]
    if not urls:
        _fail("KLACHTSPOOR_DATABASE_URL is not set", USAGE)
    for database in asyncio.run(forget_checkpoints(urls)):
        typer.echo(f"{database.database}: {len(database.checkpoints)} checkpoints vergeten")
        for subscriber, position in database.checkpoints:
            typer.echo(f"  {subscriber} (stond op {position})")
