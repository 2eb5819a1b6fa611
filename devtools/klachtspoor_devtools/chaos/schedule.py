"""The faults of one run, drawn from a seed: the same seed gives the same schedule, printed before the
run starts, so a failing run can be repeated fault for fault.

Pure: no clock, no processes. Faults never overlap: each one (and a settling time after it, for the
supervisor's restart and the consumers' reconnects) has the stack to itself, so a check that fails
points at one fault rather than a pile-up. Their order and the gaps between them are random.
"""

from __future__ import annotations

import random
from enum import StrEnum
from typing import assert_never

from pydantic import BaseModel, ConfigDict, Field

KILL_TARGETS = ("relay", "intake", "escalation", "notify", "reporting")
"""Every service process and the relay: each is SIGKILLed once, in the order the seed gives."""


class FaultKind(StrEnum):
    KILL = "kill"
    """SIGKILL the target's process group; the supervisor starts it again."""
    NATS_DOWN = "nats_down"
    """Stop NATS for ``duration`` s, then start it again (same port, same JetStream store)."""
    POSTGRES_RESTART = "postgres_restart"
    """Immediate shutdown of PostgreSQL (no checkpoint), started again at once: crash recovery."""
    SMTP_REFUSAL = "smtp_refusal"
    """The SMTP server answers every mail with 451 for ``duration`` s."""
    PAUSE = "pause"
    """SIGSTOP the target for ``duration`` s (past its ack wait), then SIGCONT."""


class Fault(BaseModel):
    model_config = ConfigDict(frozen=True)

    at: float = Field(ge=0)
    """Seconds after the load started."""
    kind: FaultKind
    target: str | None = None
    duration: float = Field(default=0.0, ge=0)

    def describe(self) -> str:
        match self.kind:
            case FaultKind.KILL:
                return f"SIGKILL {self.target}"
            case FaultKind.NATS_DOWN:
                return f"stop NATS for {self.duration:g} s"
            case FaultKind.POSTGRES_RESTART:
                return "restart PostgreSQL (immediate shutdown)"
            case FaultKind.SMTP_REFUSAL:
                return f"SMTP answers 451 for {self.duration:g} s"
            case FaultKind.PAUSE:
                return f"SIGSTOP {self.target} for {self.duration:g} s, then SIGCONT"
            case _:
                assert_never(self.kind)


class FaultSettings(BaseModel):
    """What the run does to the stack, and how long each outage lasts."""

    model_config = ConfigDict(frozen=True)

    kill_targets: tuple[str, ...] = KILL_TARGETS
    nats_down: float = Field(default=60.0, gt=0)
    smtp_refusal: float = Field(default=120.0, gt=0)
    pause_target: str = "notify"
    pause: float = Field(default=15.0, gt=0)
    """Must exceed the target's ack wait (the run sets that to less)."""
    settle: float = Field(default=5.0, ge=0)
    """Seconds after a fault ends before the next may begin."""


class FaultPlan(BaseModel):
    model_config = ConfigDict(frozen=True)

    seed: int
    window: float
    faults: tuple[Fault, ...]

    def lines(self) -> list[str]:
        """The schedule as printed before the run (the same seed prints the same lines)."""
        head = f"seed {self.seed}: {len(self.faults)} faults within {self.window:g} s of load"
        return [head, *(f"  t+{fault.at:7.1f} s  {fault.describe()}" for fault in self.faults)]


class ScheduleTooTight(ValueError):
    """The faults, each with its settling time, take longer than the load lasts."""


def _faults(settings: FaultSettings) -> list[Fault]:
    kills = [Fault(at=0, kind=FaultKind.KILL, target=name) for name in settings.kill_targets]
    return [
        *kills,
        Fault(at=0, kind=FaultKind.NATS_DOWN, duration=settings.nats_down),
        Fault(at=0, kind=FaultKind.POSTGRES_RESTART),
        Fault(at=0, kind=FaultKind.SMTP_REFUSAL, duration=settings.smtp_refusal),
        Fault(at=0, kind=FaultKind.PAUSE, target=settings.pause_target, duration=settings.pause),
    ]


def plan_faults(seed: int, window: float, settings: FaultSettings) -> FaultPlan:
    """Every fault once, in a random order, at random moments within ``window`` s, never overlapping."""
    rng = random.Random(seed)
    faults = _faults(settings)
    rng.shuffle(faults)
    busy = sum(fault.duration + settings.settle for fault in faults)
    free = window - busy
    if free < 0:
        raise ScheduleTooTight(
            f"{len(faults)} faults take {busy:g} s with their settling time, more than the {window:g} s "
            "the load lasts: send more signals, at a lower rate, or shorten the outages"
        )
    cuts = sorted(rng.uniform(0, free) for _ in faults)
    placed: list[Fault] = []
    elapsed = 0.0
    for cut, fault in zip(cuts, faults, strict=True):
        placed.append(fault.model_copy(update={"at": round(cut + elapsed, 1)}))
        elapsed += fault.duration + settings.settle
    return FaultPlan(seed=seed, window=window, faults=tuple(placed))
