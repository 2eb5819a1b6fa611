"""``klachtspoor chaos run``: faults under load on a stack of its own, then the checks as a table
(docs/reliability.md). Exit 0 when every check passed, 1 when one failed."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import TaskID
from rich.table import Table

from klachtspoor.cli.bars import ProgressBars
from klachtspoor.settings import get_settings
from klachtspoor_devtools.chaos.load import Mix
from klachtspoor_devtools.chaos.run import RunConfig, RunResult, run_chaos
from klachtspoor_devtools.chaos.schedule import FaultSettings, ScheduleTooTight

app = typer.Typer(
    no_args_is_help=True, help="Fault runs: faults under load, then checks (docs/reliability.md)."
)


class ProgressTracker(ProgressBars):
    """One progress bar per stage of the run; notes printed above the bars."""

    def __init__(self, console: Console) -> None:
        super().__init__(console)
        self._task: TaskID | None = None

    def stage(self, label: str, total: int | None) -> None:
        """A new bar; the previous one stops where it got (its time is that stage's)."""
        if self._task is not None:
            done = self._progress.tasks[-1]
            if done.total is None:
                self._progress.update(self._task, total=1, completed=1)
            self._progress.stop_task(self._task)
        self._task = self._progress.add_task(label, total=total)

    def advance(self, done: int) -> None:
        if self._task is not None:
            self._progress.update(self._task, completed=done)

    def note(self, line: str) -> None:
        self._progress.console.print(line, markup=False, highlight=False)


def tables(result: RunResult) -> list[Table]:
    faults = Table("t (s)", "fault", "took (s)", "outcome", title="faults")
    for applied in result.applied:
        faults.add_row(
            f"{applied.began:.1f}", applied.fault.describe(), f"{applied.seconds:.1f}", applied.note
        )
    load = Table("request", "outcome", title="load")
    for kind, text in result.counts.items():
        load.add_row(kind, text)
    verdicts = Table("check", "result", "detail", title=f"checks (seed {result.plan.seed})")
    for check in result.checks:
        verdicts.add_row(check.name, "[green]pass[/]" if check.passed else "[red]FAIL[/]", check.detail)
    return [faults, load, verdicts]


@app.command("run")
def run(
    signals: Annotated[int, typer.Option(min=1, help="signals submitted (open loop)")] = 5000,
    rate: Annotated[float, typer.Option(min=0.1, help="signals per second")] = 10.0,
    seed: Annotated[
        int | None, typer.Option(help="the fault schedule's seed (default: a new one, printed)")
    ] = None,
    nats_down: Annotated[float, typer.Option(min=0.1, help="seconds NATS is stopped")] = 60.0,
    smtp_refusal: Annotated[float, typer.Option(min=0.1, help="seconds the SMTP server answers 451")] = 120.0,
    pause: Annotated[float, typer.Option(min=0.1, help="seconds notify is stopped (SIGSTOP)")] = 15.0,
    ack_wait: Annotated[float, typer.Option(min=0.1, help="notify's ack wait in the run (< --pause)")] = 10.0,
    settle: Annotated[float, typer.Option(min=0, help="seconds after each fault before the next")] = 5.0,
    drain: Annotated[float, typer.Option(min=1, help="seconds to wait for the last letters")] = 300.0,
    public_every: Annotated[int, typer.Option(min=1, help="a public filing every N signals")] = 10,
    command_every: Annotated[int, typer.Option(min=1, help="a staff command every N signals")] = 10,
    read_every: Annotated[int, typer.Option(min=1, help="a read every N signals")] = 5,
    poison: Annotated[int, typer.Option(min=0, help="events of a newer release appended, to be parked")] = 3,
    keep: Annotated[bool, typer.Option(help="keep the run's data directory (process logs, mails)")] = False,
) -> None:
    """Start a stack of its own, load it under scheduled faults, drain, check; print the table."""
    chosen = secrets.randbelow(2**31) if seed is None else seed
    faults = FaultSettings(nats_down=nats_down, smtp_refusal=smtp_refusal, pause=pause, settle=settle)
    mix = Mix(public_every=public_every, command_every=command_every, read_every=read_every, poison=poison)
    try:
        config = RunConfig(
            signals=signals,
            rate=rate,
            seed=chosen,
            faults=faults,
            ack_wait=ack_wait,
            mix=mix,
            drain=drain,
            keep=keep,
        )
        config.plan()
    except (ScheduleTooTight, ValueError) as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from error
    console = Console(stderr=True)
    with ProgressTracker(console) as tracker:
        result = run_chaos(os.environ, Path(get_settings().data_dir), config, tracker)
    out = Console(width=None if sys.stdout.isatty() else 160)
    for table in tables(result):
        out.print(table)
    out.print(f"{'passed' if result.passed else 'FAILED'}: klachtspoor chaos run --seed {chosen} ...")
    raise typer.Exit(0 if result.passed else 1)
