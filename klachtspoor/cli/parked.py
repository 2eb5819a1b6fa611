"""CLI group ``parked``: list, retry and discard events a subscriber parked after its retries.

The work is done in :mod:`klachtspoor.subscriptions`; this module connects, calls it and prints. A retry
is performed by the running subscriber (the process that has the handler): the command requests it and
waits ``--wait`` seconds for the outcome.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar, assert_never
from uuid import UUID

import asyncpg
import typer
from rich.console import Console
from rich.table import Table

from klachtspoor import pgconnect
from klachtspoor.cli.database import database_url
from klachtspoor.subscriptions import (
    ParkedEvent,
    ParkedEventNotFound,
    RetryOutcome,
    apply_schema,
    discard_parked,
    list_parked,
    request_retry,
    wait_for_retry,
)

app = typer.Typer(no_args_is_help=True)
T = TypeVar("T")

Subscriber = Annotated[str, typer.Option("--subscriber", "-s", help="Name of the subscriber.")]


@app.command("list")
def list_command(
    subscriber: Annotated[
        str | None, typer.Option("--subscriber", "-s", help="Only this subscriber.")
    ] = None,
) -> None:
    """Show parked events in log order, with their last error."""
    parked = _run(lambda conn: list_parked(conn, subscriber))
    console = Console()
    if not parked:
        console.print("No parked events" + (f" for {subscriber}" if subscriber else ""))
        return
    console.print(_table(parked))


@app.command("retry")
def retry_command(
    event_id: Annotated[UUID, typer.Argument(help="Id of the parked event.")],
    subscriber: Subscriber,
    wait: Annotated[float, typer.Option(min=0, help="Seconds to wait for the running subscriber.")] = 30.0,
) -> None:
    """Ask the running subscriber to handle the event again; report whether it succeeded."""

    console = Console()

    async def retry(conn: asyncpg.Connection) -> None:
        await request_retry(conn, subscriber, event_id)
        result = await wait_for_retry(conn, subscriber, event_id, within=wait)
        match result.outcome:
            case RetryOutcome.SUCCEEDED:
                console.print(f"[green]Event {event_id} handled by {subscriber}; no longer parked[/]")
            case RetryOutcome.FAILED:
                console.print(f"[red]Retry of {event_id} failed; still parked[/]")
                if result.parked is not None:
                    console.print(_table([result.parked]))
                raise typer.Exit(1)
            case RetryOutcome.PENDING:
                console.print(
                    f"[yellow]Retry of {event_id} requested; {subscriber} did not take it up within "
                    f"{wait:g} s (is it running?). It will when it runs.[/]"
                )
                raise typer.Exit(3)
            case _:
                assert_never(result.outcome)

    _run(retry)


@app.command("discard")
def discard_command(
    event_id: Annotated[UUID, typer.Argument(help="Id of the parked event.")],
    subscriber: Subscriber,
) -> None:
    """Give up on the event for this subscriber: remove it from parked without handling it."""
    parked = _run(lambda conn: discard_parked(conn, subscriber, event_id))
    Console().print(f"Discarded {parked.type} event {event_id} ({parked.stream}) for {subscriber}")


def _run(action: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
    url = database_url()

    async def main() -> T:
        conn = await pgconnect.connect(url)
        try:
            await apply_schema(conn)
            return await action(conn)
        finally:
            await conn.close()

    try:
        return asyncio.run(main())
    except ParkedEventNotFound as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error


def _table(parked: list[ParkedEvent]) -> Table:
    table = Table("subscriber")
    table.add_column("event id", no_wrap=True, min_width=36)
    for column in ("position", "stream", "type", "attempts", "error", "parked at"):
        table.add_column(column, overflow="fold")
    for p in parked:
        requested = " (retry requested)" if p.retry_requested_at else ""
        table.add_row(
            p.subscriber,
            str(p.event_id),
            str(p.position),
            p.stream,
            p.type,
            str(p.attempts),
            f"{p.error_type}: {p.error}{requested}",
            p.parked_at.isoformat(timespec="seconds"),
        )
    return table
