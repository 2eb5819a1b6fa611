"""``klachtspoor bench e2e``: HTTP submission to acknowledgement mail accepted, on a running stack.

One step submits signals open-loop at a fixed rate
(:class:`~klachtspoor_devtools.bench.e2e_load.OpenLoop`), waits (bounded) until every answered
submission's mail reached the SMTP sink, and summarises: mail latency (the sink's acceptance time minus
the scheduled submission time), HTTP latency, errors, the backlog of mails still to come while
submitting, and each process's share of a core. ``find_max`` steps the rate up until a
step fails. Figures only: the goals are judged in docs/benchmarks.md, never here.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import httpx

from klachtspoor.eventstore.streams import case_stream
from klachtspoor_devtools.bench.e2e_cpu import LOAD_GENERATOR, core_shares, cpu_seconds
from klachtspoor_devtools.bench.e2e_load import MailLog, OpenLoop, Submission, wait_for_mails
from klachtspoor_devtools.bench.e2e_stack import BenchStack
from klachtspoor_devtools.bench.e2e_summary import StepResult, Timed, recorded_times, summarise
from klachtspoor_devtools.devstack.guide import DEMO_TENANT

REQUEST_TIMEOUT_SECONDS = 30.0
POLL_SECONDS = 0.25
STACK_TOTAL = "stack total"
SETTLE_SECONDS = 3.0
"""Between find-max steps: the projections catch up on the last step's events before the next begins."""


class Tracker(Protocol):
    """Where a step reports its progress (the CLI's progress bar)."""

    def begin(self, label: str, total: int) -> None: ...

    def update(self, sent: int, mailed: int) -> None: ...


@dataclass(frozen=True)
class Step:
    result: StepResult
    timed: list[Timed]


class E2eBench:
    """Steps on one stack with one client, one token and one reader of the sink's log."""

    def __init__(self, stack: BenchStack, client: httpx.AsyncClient, tracker: Tracker | None = None) -> None:
        self.stack = stack
        self.loop = OpenLoop(client, stack.intake_url, stack.token())
        self.log = MailLog(stack.mail_dir)
        self.tracker = tracker
        self._next_index = 0

    async def step(self, rate: float, duration: float, *, warmup: float = 0.0, drain: float = 60.0) -> Step:
        """Submit for ``warmup + duration`` s at ``rate``; measure the last ``duration`` s' submissions."""
        skipped, count = round(warmup * rate), round(duration * rate)
        total = skipped + count
        first, self._next_index = self._next_index, self._next_index + total
        sent_before, mailed_before = self.loop.sent, self._mailed()
        label = f"{rate:g}/s for {duration:g} s" + (f" after {warmup:g} s warm-up" if warmup else "")
        if self.tracker is not None:
            self.tracker.begin(label, total)
        backlog: list[int] = []
        watching = asyncio.create_task(self._watch(sent_before, mailed_before, backlog))
        cpu_before, began = cpu_seconds(self.stack.pids), time.monotonic()
        try:
            submissions = await self.loop.run(rate, total, first)
        finally:
            watching.cancel()
        cpu_sent, seconds = cpu_seconds(self.stack.pids), time.monotonic() - began
        self.log.poll()
        backlog_end = self.loop.sent - self._mailed()
        measured = submissions[skipped:]

        def tracked(waiting: int) -> None:
            if self.tracker is not None:
                self.tracker.update(self.loop.sent - sent_before, self._mailed() - mailed_before)

        await wait_for_mails(self.log, submissions, drain, tracked)
        cpu_drained = cpu_seconds(self.stack.pids)
        spent = {name: used - cpu_before.get(name, 0.0) for name, used in cpu_drained.items()}
        spent[STACK_TOTAL] = sum(used for name, used in spent.items() if name != LOAD_GENERATOR)
        per_submission = {
            name: round(1000 * used / total, 2) for name, used in sorted(spent.items(), key=lambda i: -i[1])
        }
        timed = [self._timed(submission) for submission in measured]
        streams = [case_stream(DEMO_TENANT, s.case_id) for s in measured if s.case_id is not None]
        recorded = await recorded_times(self.stack.endpoints.database_url, streams)
        mid = backlog[len(backlog) // 2] if backlog else 0
        cpu = core_shares(cpu_before, cpu_sent, seconds)
        result = summarise(rate, duration, timed, mid, backlog_end, cpu, per_submission, recorded)
        return Step(result, timed)

    async def idle(self, seconds: float) -> dict[str, float]:
        """Each process's share of a core with nothing submitted: the stack's own polling and upkeep."""
        before, began = cpu_seconds(self.stack.pids), time.monotonic()
        await asyncio.sleep(seconds)
        return core_shares(before, cpu_seconds(self.stack.pids), time.monotonic() - began)

    def _mailed(self) -> int:
        return sum(len(mails) for mails in self.log.by_reference.values())

    async def _watch(self, sent_before: int, mailed_before: int, backlog: list[int]) -> None:
        """While submitting: read the sink's log, note the backlog, move the progress bar."""
        while True:
            await asyncio.sleep(POLL_SECONDS)
            self.log.poll()
            mailed = self._mailed()
            backlog.append(self.loop.sent - mailed)
            if self.tracker is not None:
                self.tracker.update(self.loop.sent - sent_before, mailed - mailed_before)

    def _timed(self, submission: Submission) -> Timed:
        if submission.reference is None:
            return Timed(submission, None, 0)
        mail = self.log.first(submission.reference)
        count = self.log.count(submission.reference)
        return Timed(submission, None if mail is None else mail.accepted_at, count)


async def find_max(
    bench: E2eBench,
    rates: Sequence[float],
    step_seconds: float,
    p99_bound_ms: float,
    *,
    warmup: float,
    drain: float,
) -> tuple[float | None, list[StepResult]]:
    """Step the rate up until a step fails; the highest passed rate (None: not even the first)."""
    best: float | None = None
    results: list[StepResult] = []
    for number, rate in enumerate(rates):
        if number:
            await asyncio.sleep(SETTLE_SECONDS)
        step = await bench.step(rate, step_seconds, warmup=warmup if number == 0 else 0.0, drain=drain)
        results.append(step.result)
        if not step.result.passed(p99_bound_ms):
            break
        best = rate
    return best, results


def client(rate: float) -> httpx.AsyncClient:
    """One client for the whole run: enough connections that the pool never holds a request back at the
    rate asked for with a second's worth of answers outstanding."""
    limits = httpx.Limits(max_connections=max(100, int(rate)), max_keepalive_connections=100)
    return httpx.AsyncClient(timeout=REQUEST_TIMEOUT_SECONDS, limits=limits)
