"""CLI group ``eventstore``: moving house from one event store to another (deploy/README.md, "Moving to
EventStoreDB").

``copy --to esdb://…`` copies every event of the configured store (or ``--from``) into an EventStoreDB
one, resumable after an interruption, and then compares the two. ``switch --to esdb://…``, with everything
stopped, checks once more, records the move for the anchors and forgets every subscriber's position in the
old store. Exit codes: 0 the target is the source, 1 it is not (``switch`` then changes nothing), 2 wrong
usage, 3 a store could not be read or written, 4 (``copy``) the target holds other events.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import Progress

from klachtspoor.cli.bars import progress_bars
from klachtspoor.eventstore.errors import EventStoreError
from klachtspoor.integrity.anchorstore import AnchorsError
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
    settings = get_settings()
    source, target = _addresses(settings, to, namespace, source_url)
    console = Console(stderr=True)
    try:
        result, comparison = asyncio.run(_copy(settings, source, target, page, check, console))
    except AnchorsError as error:
        _fail(f"Cannot read the anchors to check them: {error}", UNREACHABLE)
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


def _addresses(
    settings: Settings, to: str, namespace: str | None, source_url: str | None
) -> tuple[StoreAddress, StoreAddress]:
    """Source and target as named (the source by default the configured store), or a usage error."""
    from klachtspoor.moving.stores import StoreAddress, UnsuitableStores, check_addresses

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
    return source, target


def _fail(message: str, code: int) -> NoReturn:
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
    return progress_bars(console, per_second=True)


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
            f" {_anchors_held(comparison.anchors_held)}"
        )
    else:
        out.print(f"Tot het verschil: {counted} gelijk")


def _anchors_held(count: int) -> str:
    return "1 anker klopt" if count == 1 else f"{count} ankers kloppen"


@app.command("switch")
def switch_command(
    to: Annotated[str, typer.Option("--to", help="The EventStoreDB copied into (esdb://…).")],
    namespace: Annotated[
        str | None,
        typer.Option(help="The target's namespace (default: KLACHTSPOOR_EVENTSTORE_NAMESPACE)."),
    ] = None,
    source_url: Annotated[
        str | None, typer.Option("--from", help="The store copied (default: the configured one).")
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", help="Yes: every writer, the relay and every service is stopped.")
    ] = False,
) -> None:
    """With everything stopped: check the stores are the same, record the move, forget the old checkpoints.

    The last step before the services use the new store. Anchors go on from the recorded move; every
    subscriber's checkpoint (a position in the old store) is deleted, the ledgers stay. Changes nothing
    when the stores differ (exit 1)."""
    settings = get_settings()
    source, target = _addresses(settings, to, namespace, source_url)
    if not yes:
        _fail("Stop every writer, the relay and every service first, then run this again with --yes", USAGE)
    if not settings.database_url:
        _fail("KLACHTSPOOR_DATABASE_URL is not set: the anchors and checkpoints live there", USAGE)
    console = Console(stderr=True)
    try:
        comparison = asyncio.run(_switch(settings, source, target, console))
    except (EventStoreError, AnchorsError) as error:
        _fail(f"Cannot compare {source} with {target}: {error}", UNREACHABLE)
    out = Console()
    _print_comparison(comparison, out)
    if not comparison.identical:
        out.print("Niets veranderd: kopieer eerst opnieuw (eventstore copy), met alle schrijvers gestopt")
        raise typer.Exit(DIFFERENT)
    out.print(
        f"Verhuizing vastgelegd: de ankers gaan verder na {comparison.events} gebeurtenissen"
        f" (tot {comparison.ended_at} in {target}). Nu: KLACHTSPOOR_EVENTSTORE_URL naar het doel,"
        " klachtspoor projections rebuild, dan de relay en de diensten starten"
    )


async def _switch(
    settings: Settings, source: StoreAddress, target: StoreAddress, console: Console
) -> Comparison:
    from klachtspoor.integrity.anchors import Move
    from klachtspoor.integrity.anchorstore import PostgresAnchors
    from klachtspoor.moving import compare_stores
    from klachtspoor.moving.checkpoints import forget_checkpoints
    from klachtspoor.moving.stores import open_source, open_target
    from klachtspoor.projections import load_projection, registered

    origin = await open_source(source)
    try:
        destination = await open_target(target, settings.max_event_bytes)
        try:
            table = await PostgresAnchors.open(settings.database_url)
            try:
                with _progress(console) as bar:
                    tasks = {
                        "log": bar.add_task("Vergelijken (log, ketens)", total=None),
                        "streams": bar.add_task("Vergelijken (stromen)", total=None),
                    }
                    comparison = await compare_stores(
                        origin,
                        destination,
                        anchors=await table.all(),
                        progress=lambda phase, done: bar.update(tasks[phase], completed=done),
                    )
                if not comparison.identical:
                    return comparison
                move = Move(comparison.events, comparison.ended_at, comparison.digest, str(target))
                await table.add_move(move)
            finally:
                await table.close()
        finally:
            await destination.close()
    finally:
        await origin.close()
    urls = [settings.database_url, *(load_projection(name, settings).database_url for name in registered())]
    for database in await forget_checkpoints(urls):
        console.print(f"{database.database}: {len(database.checkpoints)} checkpoints vergeten")
        for subscriber, position in database.checkpoints:
            console.print(f"  {subscriber} (stond op {position})")
    return comparison
