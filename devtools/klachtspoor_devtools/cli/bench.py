"""``klachtspoor bench …``: measure, print JSON, never judge (the goals live in DESIGN.md)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress

from klachtspoor.eventstore.port import EventStore
from klachtspoor.settings import Settings, get_settings
from klachtspoor_devtools.bench.eventstore import run_bench
from klachtspoor_devtools.bench.workload import BenchConfig

app = typer.Typer(no_args_is_help=True, help="Benchmarks (figures go to docs/benchmarks.md).")

Bench = Callable[[Callable[[int], None]], Coroutine[Any, Any, dict[str, object]]]
"""A benchmark run, told how to report each finished round."""


async def _open_postgres_store(url: str, writers: int) -> EventStore:
    from klachtspoor.eventstore.postgres import PostgresEventStore

    return await PostgresEventStore.connect(url, pool_size=writers + 2)


@contextlib.contextmanager
def _bench_database(settings: Settings) -> Iterator[tuple[str, str]]:
    """The configured PostgreSQL (``KLACHTSPOOR_DATABASE_URL``), or a durable embedded one started for the
    bench and stopped after it: its URL, and ``configured`` or ``embedded`` for the result."""
    if settings.database_url:
        yield settings.database_url, "configured"
        return
    from klachtspoor_devtools.devstack.postgres import EmbeddedPostgres

    server = EmbeddedPostgres(Path(settings.data_dir) / "bench-postgres", durable=True)
    url = server.start()
    try:
        yield url, "embedded"
    finally:
        server.stop()


def _with_progress(console: Console, rounds: int, bench: Bench) -> dict[str, object]:
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("benchmark rounds", total=rounds)

        def advance(done: int) -> None:
            progress.update(task, completed=done)

        return asyncio.run(bench(advance))


def _print(
    console: Console, title: str, config: BenchConfig, result: dict[str, object], as_json: bool
) -> None:
    if not as_json:
        console.print(
            f"[bold]{title}[/] ({config.events} events, {config.writers} writers, {config.rounds} rounds)"
        )
    typer.echo(json.dumps(result, indent=None if as_json else 2))


def _esdb_url(value: str | None) -> str | None:
    if value is not None and not value.startswith(("esdb://", "esdb+discover://")):
        raise typer.BadParameter("expected an esdb:// or esdb+discover:// URL")
    return value


@app.command("eventstore")
def eventstore(
    events: Annotated[int, typer.Option(help="events per phase (single appends, batched appends)")] = 20_000,
    writers: Annotated[
        int,
        typer.Option(
            help="concurrent writers (PostgreSQL: a connection each; EventStoreDB: one shared client)"
        ),
    ] = 16,
    batch_size: Annotated[int, typer.Option(help="events per append in the batched phase")] = 50,
    rounds: Annotated[int, typer.Option(help="rounds; figures are medians over rounds")] = 3,
    eventstore_url: Annotated[
        str | None,
        typer.Option(
            help="esdb://… : measure the EventStoreDB adapter against raw esdbclient on that server"
            " (as KLACHTSPOOR_EVENTSTORE_URL selects it); without it, PostgreSQL",
            callback=_esdb_url,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print only the JSON object")] = False,
) -> None:
    """Appends, batched appends, global read and catch-up against the raw client on the same server."""
    config = BenchConfig(events=events, writers=writers, batch_size=batch_size, rounds=rounds)
    console = Console(stderr=True)
    if eventstore_url is not None:
        from klachtspoor_devtools.bench.esdb import run_esdb_bench

        esdb_url = eventstore_url
        result = _with_progress(console, rounds, lambda advance: run_esdb_bench(esdb_url, config, advance))
        result["server"] = "configured"
        _print(console, "EventStoreDB event store benchmark", config, result, as_json)
        return
    settings = get_settings()
    with _bench_database(settings) as (url, server):
        result = _with_progress(
            console, rounds, lambda advance: run_bench(url, _open_postgres_store, config, advance)
        )
    result["server"] = server
    _print(console, "event store benchmark", config, result, as_json)


@app.command("verify")
def verify(
    events: Annotated[int, typer.Option(min=1, help="chained events in the log")] = 1_000_000,
    writers: Annotated[int, typer.Option(min=1, help="concurrent writers while seeding")] = 4,
    rounds: Annotated[int, typer.Option(min=1, help="rounds; figures are medians over rounds")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="print only the JSON object")] = False,
) -> None:
    """`klachtspoor verify` over the whole log (chains and anchor digest), in events per second."""
    from klachtspoor_devtools.bench.verify import run_verify_bench

    console = Console(stderr=True)
    settings = get_settings()
    with _bench_database(settings) as (url, server):
        result = _with_progress(
            console, rounds, lambda advance: run_verify_bench(url, events, writers, rounds, advance)
        )
    result["server"] = server
    if not as_json:
        console.print(f"[bold]verify benchmark[/] ({events} events, {rounds} rounds)")
    typer.echo(json.dumps(result, indent=None if as_json else 2))


@app.command("replay")
def replay(
    events: Annotated[int, typer.Option(min=3, help="events in the case replayed")] = 1000,
    rounds: Annotated[int, typer.Option(min=1, help="replays measured (after two warm-up ones)")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="print only the JSON object")] = False,
) -> None:
    """Replay of one case (read, chain check, decrypt, state, terms, timeline) as GET …/history does."""
    from klachtspoor_devtools.bench.replay import run_replay_bench

    settings = get_settings()
    console = Console(stderr=True)
    with _bench_database(settings) as (url, server):
        result = _with_progress(
            console,
            rounds,
            lambda advance: run_replay_bench(url, settings, events=events, rounds=rounds, advance=advance),
        )
    result["server"] = server
    if not as_json:
        console.print(f"[bold]replay benchmark[/] (one case of {events} events, {rounds} rounds)")
    typer.echo(json.dumps(result, indent=None if as_json else 2))


def _rates(value: str) -> list[float]:
    try:
        rates = [float(part) for part in value.split(",") if part.strip()]
    except ValueError as error:
        raise typer.BadParameter("expected rates separated by commas, e.g. 100,150,200") from error
    if not rates or min(rates) <= 0:
        raise typer.BadParameter("expected positive rates")
    return rates


@app.command("e2e")
def e2e(
    rate: Annotated[float, typer.Option(min=0.1, help="submissions per second (open loop)")] = 100.0,
    duration: Annotated[float, typer.Option(min=0.1, help="seconds of measured submissions")] = 60.0,
    warmup: Annotated[
        float, typer.Option(min=0, help="seconds submitted at the rate first, not measured")
    ] = 5.0,
    find_max: Annotated[
        bool, typer.Option("--find-max", help="step the rate up (--steps) until a step fails")
    ] = False,
    steps: Annotated[
        str, typer.Option(help="--find-max: the rates, in order")
    ] = "25,50,100,150,200,300,400,500",
    step_duration: Annotated[float, typer.Option(help="--find-max: seconds per step")] = 20.0,
    p99_bound: Annotated[
        float, typer.Option(help="--find-max: a step passes with mail p99 under this many ms")
    ] = 1000.0,
    rounds: Annotated[
        int, typer.Option(min=1, help="rounds at the rate (not with --find-max); medians over them")
    ] = 1,
    drain: Annotated[float, typer.Option(help="seconds to wait for the last mails after submitting")] = 60.0,
    keep: Annotated[bool, typer.Option(help="keep the scratch data directory (process logs, mails)")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print only the JSON object")] = False,
) -> None:
    """HTTP submission to acknowledgement mail accepted, on a stack of its own (as `dev up` starts it)."""
    import os

    from klachtspoor_devtools.bench.e2e_report import ProgressTracker, run_e2e, table

    rates = _rates(steps) if find_max else [rate]
    console = Console(stderr=True)
    with ProgressTracker(console) as tracker:
        result = run_e2e(
            os.environ,
            Path(get_settings().data_dir),
            tracker,
            rates=rates,
            seconds=step_duration if find_max else duration,
            warmup=warmup,
            find_max=find_max,
            p99_bound_ms=p99_bound,
            drain=drain,
            keep=keep,
            rounds=rounds,
        )
    if not as_json:
        Console(width=None if sys.stdout.isatty() else 140).print(table(result))
    typer.echo(json.dumps(result, indent=None if as_json else 2))


@app.command("rebuild")
def rebuild(
    events: Annotated[int, typer.Option(min=1, help="events in the log (whole cases)")] = 1_000_000,
    rounds: Annotated[int, typer.Option(min=1, help="rebuilds of each projection; figures are medians")] = 3,
    processes: Annotated[
        int | None,
        typer.Option(min=1, help="processes per per-stream projection (default: the cores, at most 4)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print only the JSON object")] = False,
) -> None:
    """Every registered projection rebuilt (`klachtspoor projections rebuild`) from a log of N events."""
    from klachtspoor.projections import default_processes
    from klachtspoor_devtools.bench.rebuild import run_rebuild_bench

    count = default_processes() if processes is None else processes

    console = Console(stderr=True)
    settings = get_settings()
    with _bench_database(settings) as (url, server):
        result = _with_progress(
            console, rounds, lambda advance: run_rebuild_bench(url, events, rounds, advance, processes=count)
        )
    result["server"] = server
    if not as_json:
        console.print(f"[bold]rebuild benchmark[/] ({events} events, {rounds} rounds, {count} processes)")
    typer.echo(json.dumps(result, indent=None if as_json else 2))


@app.command("reporting")
def reporting(
    cases: Annotated[int, typer.Option(min=10, help="cases in the demo tenant")] = 100_000,
    requests: Annotated[int, typer.Option(min=1, help="requests per endpoint (after one warm-up)")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="print only the JSON object")] = False,
) -> None:
    """Reporting's statistics and case endpoints over N cases in the demo tenant: p50/p95 per endpoint."""
    from klachtspoor_devtools.bench.reporting import _paths, run_reporting_bench

    console = Console(stderr=True)
    settings = get_settings()
    url = settings.database_url
    if not url:
        typer.echo("KLACHTSPOOR_DATABASE_URL is not set", err=True)
        raise typer.Exit(2)
    server_url = url
    result = _with_progress(
        console, len(_paths("x")), lambda advance: run_reporting_bench(server_url, cases, requests, advance)
    )
    if not as_json:
        console.print(f"[bold]reporting benchmark[/] ({cases} cases, {requests} requests per endpoint)")
    typer.echo(json.dumps(result, indent=None if as_json else 2))
