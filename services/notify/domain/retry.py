"""The retry schedule: how long to wait after each failed attempt, and when to give up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_DELAYS = (60.0, 300.0, 1800.0, 7200.0)
"""Seconds after failed attempt 1, 2, 3, 4; the fifth attempt is the last (about 2.5 hours in all)."""


@dataclass(frozen=True, slots=True)
class RetrySchedule:
    delays: tuple[timedelta, ...]

    def __post_init__(self) -> None:
        if any(delay < timedelta(0) for delay in self.delays):
            raise ValueError(f"Retry delays must not be negative, got {self.delays}")

    @classmethod
    def of_seconds(cls, seconds: Sequence[float] = DEFAULT_DELAYS) -> RetrySchedule:
        return cls(tuple(timedelta(seconds=s) for s in seconds))

    @property
    def max_attempts(self) -> int:
        return len(self.delays) + 1

    def next_attempt_at(self, failed_attempt: int, failed_at: datetime) -> datetime | None:
        """When to try again after attempt ``failed_attempt`` (1-based) failed; None after the last."""
        if failed_attempt < 1:
            raise ValueError(f"Attempts count from 1, got {failed_attempt}")
        if failed_attempt >= self.max_attempts:
            return None
        return failed_at + self.delays[failed_attempt - 1]
