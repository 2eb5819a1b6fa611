"""CLI group ``relay``: run the relay from the global log to NATS JetStream."""

from __future__ import annotations

import asyncio
import contextlib

import typer
import uvloop

from klachtspoor import observability
from klachtspoor.settings import get_settings

app = typer.Typer(no_args_is_help=True)


@app.command("run")
def run(
    batch_size: int = typer.Option(256, min=1, help="Events published together before one checkpoint."),
    ack_timeout: float = typer.Option(5.0, min=0.1, help="Seconds to wait for a JetStream ack."),
    grace: float = typer.Option(10.0, min=0.0, help="Seconds to finish the batch in flight after SIGTERM."),
    log_level: str = typer.Option("INFO", help="Logging level."),
) -> None:
    """Publish every committed event to JetStream (stream KLACHTSPOOR), resuming from the checkpoint."""
    from klachtspoor.relay.service import RelayNotConfigured, serve

    observability.configure("relay", log_level=log_level)
    try:
        with contextlib.suppress(asyncio.CancelledError):
            # uvloop, as the services run on under uvicorn: fewer system calls per publish and read
            uvloop.run(serve(get_settings(), batch_size=batch_size, ack_timeout=ack_timeout, grace=grace))
    except RelayNotConfigured as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from error
