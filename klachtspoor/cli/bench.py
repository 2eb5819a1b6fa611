"""``klachtspoor bench …``: measure, print JSON, never judge (the goals live in DESIGN.md)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from klachtspoor.bench.eventstore import BenchConfig, run_bench
from klachtspoor.eventstore.port import EventStore
from klachtspoor.settings import get_settings

app = typer.Typer(no_args_is_help=True)


async def _open_postgres_store(url: str, writers: int) -> EventStore:
    from klachtspoor.eventstore.postgres import PostgresEventStore

    return await PostgresEventStore.connect(url, pool_size=writers + 2)


@app.command("eventstore")
def eventstore(
    events: Annotated[int, typer.Option(help="events per phase (single appends, batched appends)")] = 20_000,
    writers: Annotated[int, typer.Option(help="concurrent writers, each with its own connection")] = 16,
    batch_size: Annotated[int, typer.Option(help="events per append in the batched phase")] = 50,
    rounds: Annotated[int, typer.Option(help="rounds; figures are medians over rounds")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="print only the JSON object")] = False,
) -> None:
    """Appends, batched appends, global read and catch-up against raw asyncpg inserts and reads."""
    settings = get_settings()
    config = BenchConfig(events=events, writers=writers, batch_size=batch_size, rounds=rounds)
    console = Console(stderr=True)
    server = None
    url = settings.database_url
    if not url:
        from klachtspoor.devstack.postgres import EmbeddedPostgres

        server = EmbeddedPostgres(Path(settings.data_dir) / "bench-postgres", durable=True)
        url = server.start()
    try:
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("benchmark rounds", total=rounds)

            def advance(done: int) -> None:
                progress.update(task, completed=done)

            result = asyncio.run(run_bench(url, _open_postgres_store, config, advance))
    finally:
        if server is not None:
            server.stop()
    result["server"] = "embedded" if server is not None else "configured"
    if not as_json:
        console.print(f"[bold]event store benchmark[/] ({events} events, {writers} writers, {rounds} rounds)")
    typer.echo(json.dumps(result, indent=None if as_json else 2))
