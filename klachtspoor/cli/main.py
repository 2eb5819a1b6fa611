"""Entry point of the ``klachtspoor`` command. Each group lives in its own module of this package."""

from __future__ import annotations

import typer

from klachtspoor.cli import bench, calendar, contracts, dev, parked, policies, relay

app = typer.Typer(no_args_is_help=True, help="klachtspoor: complaint handling for youth-care networks.")
app.add_typer(dev.app, name="dev", help="Run the embedded development stack.")
app.add_typer(contracts.app, name="contracts", help="Event and command contracts.")
app.add_typer(bench.app, name="bench", help="Benchmarks (figures go to docs/benchmarks.md).")
app.add_typer(parked.app, name="parked", help="Events parked by a subscription after an error.")
app.add_typer(relay.app, name="relay", help="Relay committed events to NATS JetStream.")
app.add_typer(calendar.app, name="calendar", help="Due dates on the Dutch working-day calendar (Atw).")
app.add_typer(policies.app, name="policies", help="Procedure policies: list them, check every file.")
