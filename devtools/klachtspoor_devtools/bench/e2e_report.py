"""The run around the steps of ``klachtspoor bench e2e``: start the scratch stack, run the steps with a
progress bar, stop the stack, and turn the figures into JSON and a table."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import TaskID
from rich.table import Table

from klachtspoor.cli.bars import ProgressBars
from klachtspoor_devtools.bench import e2e
from klachtspoor_devtools.bench.e2e import E2eBench, client
from klachtspoor_devtools.bench.e2e_stack import STATS_FLUSH_SECONDS, start_bench_stack
from klachtspoor_devtools.bench.e2e_summary import StepResult
from klachtspoor_devtools.bench.stats import median_of_rounds
from klachtspoor_devtools.devstack.stack import DATABASE_VAR, NATS_VAR

IDLE_SECONDS = 3.0
"""How long the stack's idle CPU use is sampled before the first step."""


class ProgressTracker(ProgressBars):
    """Two bars per step: submissions sent, and mails the sink accepted."""

    def __init__(self, console: Console) -> None:
        super().__init__(console, transient=True)
        self._sent: TaskID | None = None
        self._mailed: TaskID | None = None

    def begin(self, label: str, total: int) -> None:
        for task in (self._sent, self._mailed):
            if task is not None:
                self._progress.remove_task(task)
        self._sent = self._progress.add_task(f"{label}: submitted", total=total)
        self._mailed = self._progress.add_task(f"{label}: mails accepted", total=total)

    def update(self, sent: int, mailed: int) -> None:
        if self._sent is not None and self._mailed is not None:
            self._progress.update(self._sent, completed=sent)
            self._progress.update(self._mailed, completed=mailed)

    def note(self, text: str) -> None:
        self._progress.console.print(text)


def run_e2e(
    environ: Mapping[str, str],
    parent: Path,
    tracker: ProgressTracker | None,
    *,
    rates: Sequence[float],
    seconds: float,
    warmup: float,
    find_max: bool,
    p99_bound_ms: float,
    drain: float,
    keep: bool,
    rounds: int = 1,
) -> dict[str, object]:
    """Start a scratch stack, run ``rounds`` steps at ``rates[0]`` (or step the rates up), stop it; the
    figures as JSON values, with the medians over rounds."""
    if tracker is not None:
        tracker.note("starting a scratch stack (PostgreSQL, NATS, relay, SMTP sink, four services)…")
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    load_before = os.getloadavg()
    stack = start_bench_stack(environ, parent, keep=keep)
    idle: dict[str, float] = {}
    database: dict[str, float] = {}
    try:

        async def measure() -> tuple[float | None, list[StepResult]]:
            async with client(max(rates)) as http:
                bench = E2eBench(stack, http, tracker)
                idle.update(await bench.idle(IDLE_SECONDS))
                before = await stack.database_counters()
                if find_max:
                    outcome = await e2e.find_max(
                        bench, rates, seconds, p99_bound_ms, warmup=warmup, drain=drain
                    )
                else:
                    outcome = None, await _rounds(bench, rates[0], seconds, rounds, warmup, drain)
                if tracker is not None:
                    tracker.note("reading PostgreSQL's statistics once its backends have reported them…")
                await asyncio.sleep(STATS_FLUSH_SECONDS)
                after = await stack.database_counters()
                database.update(
                    {name: round((after[name] - before[name]) / bench.loop.sent, 2) for name in after}
                )
                return outcome

        best, results = asyncio.run(measure())
    finally:
        stack.stop()
    result: dict[str, object] = {
        "started_at": started_at,
        "cpus": os.cpu_count(),
        "load_average_before": [round(value, 2) for value in load_before],
        "load_average_after": [round(value, 2) for value in os.getloadavg()],
        "servers": {
            "postgres": "configured" if environ.get(DATABASE_VAR) else "embedded",
            "nats": "configured" if environ.get(NATS_VAR) else "embedded",
        },
        "warmup": warmup,
        "idle_cpu_cores": idle,
        "database_per_submission": database,
        "steps": [step.model_dump() for step in results],
    }
    if not find_max and len(results) > 1:
        result["median"] = _medians(results)
    if find_max:
        result |= {"p99_bound_ms": p99_bound_ms, "max_rate": best}
    if keep:
        result["data_dir"] = str(stack.data_dir)
    return result


async def _rounds(
    bench: E2eBench, rate: float, seconds: float, rounds: int, warmup: float, drain: float
) -> list[StepResult]:
    """The same step ``rounds`` times on the same stack (warm-up before the first only)."""
    results = []
    for number in range(rounds):
        if number:
            await asyncio.sleep(e2e.SETTLE_SECONDS)
        step = await bench.step(rate, seconds, warmup=warmup if number == 0 else 0.0, drain=drain)
        results.append(step.result)
    return results


def _medians(results: Sequence[StepResult]) -> dict[str, float]:
    """Per figure, the median over rounds: one noisy round does not move it."""
    flat = [
        {
            **{f"mail_{key}_ms": value for key, value in step.mail_ms.items()},
            **{f"http_{key}_ms": value for key, value in step.http_ms.items()},
            "achieved_rate": step.achieved_rate,
            "errors": step.errors,
            "missing_mails": step.missing_mails,
            "stack_cpu_ms_per_submission": step.cpu_ms_per_submission.get(e2e.STACK_TOTAL, 0.0),
        }
        for step in results
    ]
    return median_of_rounds(flat)


def table(result: Mapping[str, object]) -> Table:
    """One row per step: what was asked, what came, and the latencies."""
    bound = result.get("p99_bound_ms")
    title = "end to end: submission to acknowledgement mail accepted"
    if "max_rate" in result:
        title += f" (highest passed rate: {result['max_rate']}/s, p99 bound {bound} ms)"
    view = Table(title=title)
    for column in ("rate/s", "achieved/s", "sent", "errors", "mails", "missing/dupl."):
        view.add_column(column, justify="right")
    view.add_column("mail ms p50/p95/p99/max", justify="right")
    view.add_column("http ms p50/p99", justify="right")
    view.add_column("backlog mid/end", justify="right")
    if bound is not None:
        view.add_column("passed")
    steps = result["steps"]
    assert isinstance(steps, list)
    for step in steps:
        mail, http = step["mail_ms"], step["http_ms"]
        row = [
            f"{step['rate']:g}",
            f"{step['achieved_rate']:g}",
            str(step["submissions"]),
            str(step["errors"]),
            str(step["mails"]),
            f"{step['missing_mails']}/{step['duplicate_mails']}",
            " / ".join(f"{mail[key]:.0f}" for key in ("p50", "p95", "p99", "max")),
            " / ".join(f"{http[key]:.0f}" for key in ("p50", "p99")),
            f"{step['backlog_mid']}/{step['backlog_end']}",
        ]
        if isinstance(bound, float | int):
            row.append("yes" if StepResult.model_validate(step).passed(float(bound)) else "no")
        view.add_row(*row)
    return view
