"""A small bounded cache of unwrapped keys, per process.

Bounded so that a process holds few keys in memory at any time; entries expire so that an erasure done by
another process reaches this one within ``ttl_seconds`` (an erasure in this process invalidates at once).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class KeyCache(Generic[K, V]):
    """Least-recently-used, at most ``max_entries``, each entry valid for ``ttl_seconds``."""

    def __init__(
        self, max_entries: int, ttl_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if max_entries < 1:
            raise ValueError(f"A key cache needs room for at least 1 entry, got {max_entries}")
        self.max_entries, self.ttl_seconds, self._clock = max_entries, ttl_seconds, clock
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def get(self, key: K) -> V | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, value = entry
        if self._clock() >= expires:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self._entries[key] = (self._clock() + self.ttl_seconds, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def invalidate(self, key: K) -> None:
        self._entries.pop(key, None)

    def __len__(self) -> int:
        return len(self._entries)
