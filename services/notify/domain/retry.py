"""The retry schedule of a mail the SMTP server refused for now (4xx, connection refused or lost).

A temporary failure is the mail server's outage, not the mail's fault: by default the mail is tried
again for as long as the failure lasts, after the listed delays and then every last delay. Operators
who want a temporary failure to end parked set ``max_attempts``. The schedule lives in the events
(``next_attempt_at``), so this is only arithmetic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_DELAYS = (60.0, 300.0, 1800.0, 7200.0)
"""Seconds after failed attempt 1, 2, 3, 4; then every two hours while the failure lasts."""


@dataclass(frozen=True, slots=True)
class RetrySchedule:
    delays: tuple[timedelta, ...]
    max_attempts: int | None = None
    """None: no limit for temporary failures; n: attempt n is the last, then the mail is parked."""

    def __post_init__(self) -> None:
        if not self.delays:
            raise ValueError("A retry schedule needs at least one delay")
        if any(delay < timedelta(0) for delay in self.delays):
            raise ValueError(f"Retry delays must not be negative, got {self.delays}")
        if self.max_attempts is not None and self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1 (or None), got {self.max_attempts}")

    @classmethod
    def of_seconds(
        cls, seconds: Sequence[float] = DEFAULT_DELAYS, *, max_attempts: int | None = None
    ) -> RetrySchedule:
        return cls(tuple(timedelta(seconds=s) for s in seconds), max_attempts)

    def next_attempt_at(self, failed_attempt: int, failed_at: datetime) -> datetime | None:
        """When to try again after attempt ``failed_attempt`` (1-based) failed; None after the last."""
        if failed_attempt < 1:
            raise ValueError(f"Attempts count from 1, got {failed_attempt}")
        if self.max_attempts is not None and failed_attempt >= self.max_attempts:
            return None
        return failed_at + self.delays[min(failed_attempt, len(self.delays)) - 1]
