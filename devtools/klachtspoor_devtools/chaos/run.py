"""One fault run: print the schedule, start the run's own stack, drive the load while the faults happen,
drain, stop the services, observe and check; the stack is stopped whatever happens.

Bounded throughout: the load has a fixed count, every retry and wait a deadline (``drain``), every fault
a duration; the run stops by itself.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from klachtspoor_devtools.bench.e2e_stack import BenchStack
from klachtspoor_devtools.chaos import checks, observe
from klachtspoor_devtools.chaos.faults import Applied, FaultInjector
from klachtspoor_devtools.chaos.load import Load, LoadRecord, Mix
from klachtspoor_devtools.chaos.poison import PARKED_BY
from klachtspoor_devtools.chaos.schedule import FaultPlan, FaultSettings, plan_faults
from klachtspoor_devtools.chaos.stack import start_chaos_stack
from klachtspoor_devtools.devstack.errors import DevStackError
from klachtspoor_devtools.devstack.supervisor import ChildExit

CRASH_MARGIN = 2.0
"""Seconds before and after a crash within which a mail's first handover counts as cut off by it."""
SETTLE_SECONDS = 3.0
"""After the drain's condition holds: the projections' subscribers fold the last events."""
POLL_SECONDS = 2.0


class RunConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    signals: int = Field(default=5000, ge=1)
    rate: float = Field(default=10.0, gt=0)
    seed: int
    faults: FaultSettings = FaultSettings()
    ack_wait: float = Field(default=10.0, gt=0)
    """Notify's JetStream ack wait in the run (the pause lasts longer)."""
    mix: Mix = Mix()
    drain: float = Field(default=300.0, gt=0)
    keep: bool = False

    def plan(self) -> FaultPlan:
        if self.faults.pause <= self.ack_wait:
            raise ValueError(
                f"the pause ({self.faults.pause:g} s) must outlast the ack wait ({self.ack_wait:g} s)"
            )
        return plan_faults(self.seed, self.signals / self.rate, self.faults)


class Tracker(Protocol):
    """Where the run reports progress (the CLI's progress bars)."""

    def stage(self, label: str, total: int | None) -> None: ...

    def advance(self, done: int) -> None: ...

    def note(self, line: str) -> None: ...


@dataclass
class RunResult:
    plan: FaultPlan
    applied: list[Applied] = field(default_factory=list)
    checks: list[checks.Check] = field(default_factory=list)
    counts: dict[str, str] = field(default_factory=dict)
    restarts: dict[str, int] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(check.passed for check in self.checks)


def run_chaos(environ: Mapping[str, str], parent: Path, config: RunConfig, tracker: Tracker) -> RunResult:
    result = RunResult(config.plan())
    for line in result.plan.lines():
        tracker.note(line)
    tracker.stage("starting the run's own stack", None)
    stack = start_chaos_stack(environ, parent, ack_wait=config.ack_wait, keep=config.keep)
    injector = FaultInjector(stack)
    try:
        tracker.note(f"stack in {stack.data_dir}")
        record, fault_errors = asyncio.run(_drive(stack, config, result.plan, injector, tracker))
        result.applied = list(injector.applied)
        drained = asyncio.run(_drain(stack, record, config.drain, tracker))
        result.restarts = stack.supervisor.restarts
        gave_up = stack.supervisor.exited()
        tracker.stage("stopping the services, checking", None)
        stack.supervisor.stop()
        result.checks.append(_faults_check(result, fault_errors, gave_up, drained))
        crashes = [w for a in result.applied if (w := a.crash_window(CRASH_MARGIN)) is not None]
        result.checks += _observe_and_check(stack, record, crashes)
        result.counts = _counts(record)
        return result
    finally:
        injector.heal()
        stack.stop()


async def _drive(
    stack: BenchStack, config: RunConfig, plan: FaultPlan, injector: FaultInjector, tracker: Tracker
) -> tuple[LoadRecord, list[str]]:
    errors: list[str] = []
    async with Load(stack, config.mix) as load:
        began = time.monotonic()

        async def faults() -> None:
            for fault in plan.faults:
                await asyncio.sleep(max(0.0, began + fault.at - time.monotonic()))
                try:
                    done = await injector.apply(fault, began)
                except (DevStackError, OSError) as error:  # the faults check fails, naming it
                    errors.append(f"{fault.describe()}: {type(error).__name__}: {error}")
                    continue
                tracker.note(f"t+{done.began:6.1f} s  {fault.describe()}: {done.note} ({done.seconds:.1f} s)")

        tracker.stage(f"{config.signals} signals at {config.rate:g}/s under faults", config.signals)
        await asyncio.gather(load.run(config.signals, config.rate, tracker.advance), faults())
    return load.record, errors


async def _drain(stack: BenchStack, record: LoadRecord, within: float, tracker: Tracker) -> bool:
    """Wait until every accepted case was acknowledged and every notification answered, every late
    complaint's term has its warning and breach, and every poisoned event is parked by every subscriber
    that reads signals (False: gave up)."""
    wanted = {str(o.case_id) for o in record.of("signal") if o.accepted}
    references = {str(o.reference) for o in record.of("public") if o.accepted}
    late = checks.late_cases(record)
    tracker.stage("drain: letters still to be answered", len(wanted) + len(references))
    deadline = time.monotonic() + within
    while True:
        cases = await observe.case_streams(stack.endpoints.database_url)
        parked = await observe.subscriptions_parked(stack.endpoints.database_url)
        waiting = (
            _waiting(cases, wanted, references)
            + len(checks.terms_still_due(cases, late))
            + len(checks.poisons_unparked(parked, set(record.poisoned), PARKED_BY))
        )
        tracker.advance(len(wanted) + len(references) - waiting)
        if not waiting:
            await asyncio.sleep(SETTLE_SECONDS)
            return True
        if time.monotonic() > deadline:
            tracker.note(f"drain gave up after {within:g} s with {waiting} cases waiting")
            return False
        await asyncio.sleep(POLL_SECONDS)


def _waiting(cases: checks.Cases, wanted: set[str], references: set[str]) -> int:
    settled: set[str] = set()
    for stream, events in cases.items():
        requested = sum(e.type == "NotificationRequested" for e in events)
        answered = sum(e.type in checks.ANSWERS for e in events)
        if requested and requested == answered:
            settled.add(stream.rsplit(":", 1)[-1])
            settled.update(str(e.data.get("reference")) for e in events if e.type == "CaseReferenceAssigned")
    return len(wanted - settled) + len(references - settled)


def _faults_check(
    result: RunResult, errors: list[str], gave_up: ChildExit | None, drained: bool
) -> checks.Check:
    problems = list(errors)
    if gave_up is not None:
        problems.append(f"a process used up its restarts: {gave_up}")
    if not drained:
        problems.append("the drain did not finish in time")
    done = len(result.applied)
    fine = f"{done} of {len(result.plan.faults)} faults applied and undone; restarts {result.restarts}"
    if done != len(result.plan.faults) and not problems:
        problems.append(f"only {done} of {len(result.plan.faults)} faults applied")
    return checks.Check("every fault applied, undone, drained", not problems, "; ".join(problems) or fine)


def _observe_and_check(
    stack: BenchStack, record: LoadRecord, crashes: list[tuple[float, float]]
) -> list[checks.Check]:
    url = stack.endpoints.database_url
    env = stack.endpoints.environment()
    cases = asyncio.run(observe.case_streams(url))
    poisoned_streams = set(record.poisoned.values())
    loaded = {stream: events for stream, events in cases.items() if stream not in poisoned_streams}
    handed = observe.handovers(stack.mail_dir)
    parked = asyncio.run(observe.subscriptions_parked(url)) + observe.notifications_parked(cases)
    served = asyncio.run(observe.served_reads(url))
    intact, chain_detail = asyncio.run(observe.verify_chains(url))
    return [
        checks.accepted_have_cases(record, cases),
        checks.letters_as_prescribed(loaded, handed, crashes),
        checks.terms_at_most_once(cases, checks.late_cases(record)),
        checks.projections_match(observe.projection_differences(env, url)),
        checks.chains_verify(intact, chain_detail),
        checks.nothing_parked(parked, set(record.poisoned), PARKED_BY),
        checks.reads_logged(record, served),
    ]


def _counts(record: LoadRecord) -> dict[str, str]:
    counts = {}
    for kind in ("signal", "public", "command", "file_read", "dossier_read"):
        outcomes = record.of(kind)
        accepted = sum(o.accepted for o in outcomes)
        retried = sum(o.attempts > 1 for o in outcomes)
        errors = Counter(str(o.error).split(":", 1)[0] for o in outcomes if not o.accepted)
        failed = ", ".join(f"{error} x{n}" for error, n in errors.most_common(3))
        counts[kind] = f"{accepted} of {len(outcomes)} accepted, {retried} retried" + (
            f"; not accepted: {failed}" if failed else ""
        )
    counts["poisoned"] = f"{len(record.poisoned)} events of a newer release appended (to be parked)"
    counts["staff skipped"] = f"{record.skipped} (that many staff requests were still waiting)"
    return counts
