"""Rate limits for the routes anyone may call without an account (the public way in, the dossier).

Built on the ``limits`` library (moving windows, in the process's memory): each :class:`Limit` is a rule
such as ``10/hour`` kept per key (a client address, a receipt code) or once for everyone (``overall``).
Over a limit the route answers 429 as problem+json with ``Retry-After``, before it does any work.

Memory storage counts per process: with several instances behind a balancer each counts on its own, so
the limits per instance are the network's divided by their number (docs/public.md). The keys are
addresses and receipt codes, never what a form said.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from klachtspoor.http.problems import Problem

OVERALL = "*"
"""The key of a limit that counts every caller together."""


@dataclass(frozen=True)
class Limit:
    """One rule: ``rate`` (``limits`` notation, ``5/minute``) per ``scope`` key."""

    name: str
    rate: str
    item: RateLimitItem = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "item", parse(self.rate))


class RateLimiter:
    """Counts hits per (limit, key) in memory; :meth:`hit` raises the 429 problem over a limit."""

    def __init__(self) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def allowed(self, limit: Limit, key: str) -> bool:
        """Whether one more hit of ``key`` stays within ``limit`` (nothing counted)."""
        return self._limiter.test(limit.item, limit.name, key)

    def hit(self, *checks: tuple[Limit, str]) -> None:
        """Count one hit for each (limit, key), or none at all and raise 429 when any is full."""
        full = [(limit, key) for limit, key in checks if not self.allowed(limit, key)]
        if full:
            raise too_many(self._retry_after(full))
        for limit, key in checks:
            self._limiter.hit(limit.item, limit.name, key)

    def count(self, limit: Limit, key: str) -> None:
        """Count a hit without checking (a failed attempt that was already let through)."""
        self._limiter.hit(limit.item, limit.name, key)

    def clear(self) -> None:
        """Forget every count (tests)."""
        self._limiter.storage.reset()

    def _retry_after(self, full: Sequence[tuple[Limit, str]]) -> int:
        now = time.time()
        waits = [
            self._limiter.get_window_stats(limit.item, limit.name, key).reset_time - now
            for limit, key in full
        ]
        return max(1, math.ceil(max(waits)))


def too_many(retry_after: int) -> Problem:
    return Problem(
        429,
        "Too many requests",
        "Too many requests from here or in total; wait and try again",
        headers={"Retry-After": str(retry_after)},
    )
