"""The fault run's schedule: drawn from the seed alone, every fault once, none overlapping, all within
the load."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

import pytest

from klachtspoor_devtools.chaos.schedule import (
    KILL_TARGETS,
    FaultKind,
    FaultSettings,
    ScheduleTooTight,
    plan_faults,
)

SETTINGS = FaultSettings(nats_down=60, smtp_refusal=120, pause=15, settle=5)


def test_the_same_seed_prints_the_same_schedule() -> None:
    assert plan_faults(42, 500, SETTINGS).lines() == plan_faults(42, 500, SETTINGS).lines()
    assert plan_faults(42, 500, SETTINGS).lines() != plan_faults(43, 500, SETTINGS).lines()


def test_the_printed_schedule_names_the_seed_and_every_fault() -> None:
    lines = plan_faults(7, 500, SETTINGS).lines()
    assert lines[0] == "seed 7: 9 faults within 500 s of load"
    text = "\n".join(lines)
    for name in KILL_TARGETS:
        assert f"SIGKILL {name}" in text
    assert "stop NATS for 60 s" in text and "SMTP answers 451 for 120 s" in text
    assert "restart PostgreSQL (immediate shutdown)" in text
    assert "SIGSTOP notify for 15 s, then SIGCONT" in text


@pytest.mark.parametrize("seed", range(20))
def test_every_fault_once_without_overlap_within_the_load(seed: int) -> None:
    plan = plan_faults(seed, 300, SETTINGS)
    kinds = Counter(fault.kind for fault in plan.faults)
    assert kinds == {
        FaultKind.KILL: 5,
        FaultKind.NATS_DOWN: 1,
        FaultKind.POSTGRES_RESTART: 1,
        FaultKind.SMTP_REFUSAL: 1,
        FaultKind.PAUSE: 1,
    }
    assert sorted(f.target for f in plan.faults if f.kind is FaultKind.KILL) == sorted(KILL_TARGETS)
    ordered = sorted(plan.faults, key=lambda fault: fault.at)
    assert list(plan.faults) == ordered
    for before, after in pairwise(ordered):
        assert after.at >= before.at + before.duration + SETTINGS.settle - 0.1
    last = ordered[-1]
    assert last.at + last.duration <= 300


def test_the_order_varies_with_the_seed() -> None:
    orders = {tuple(f.describe() for f in plan_faults(seed, 500, SETTINGS).faults) for seed in range(10)}
    assert len(orders) > 1


def test_faults_that_do_not_fit_in_the_load_are_refused() -> None:
    with pytest.raises(ScheduleTooTight, match="more than the 200 s the load lasts"):
        plan_faults(1, 200, SETTINGS)
