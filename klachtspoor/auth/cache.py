"""Verified tokens kept until they expire: a client sends the same bearer token with every request, and
checking its RS256 signature each time was a tenth of intake's CPU (docs/benchmarks.md).

A small LRU on an ``OrderedDict`` (no caching library is among the pinned dependencies): the key is the
SHA-256 of the token, so the cache holds no bearer token a heap dump could replay; the value is the
verified :class:`Principal` (immutable) and the moment it stops being served. That moment is the token's
``exp`` (a token is expired from ``exp`` on, as PyJWT has it), or ``max_age`` seconds after it was
verified when that comes first, judged by the clock the verifier checks ``exp`` with. Only tokens that
passed every check are kept; a refused token is checked again each time. Key rotation and revocation:
docs/security.md#verified-tokens-are-cached.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

Principal = TypeVar("Principal")
"""What a token was verified as (``klachtspoor.auth.tokens.Principal``; generic here, so this module
needs nothing of the verifier's)."""

DEFAULT_MAX_ENTRIES = 1024
DEFAULT_MAX_AGE_SECONDS = 300.0


@dataclass(frozen=True, slots=True)
class _Entry(Generic[Principal]):
    principal: Principal
    until: float


class VerifiedTokens(Generic[Principal]):
    """At most ``max_entries`` verified tokens, the least recently used dropped first."""

    def __init__(
        self,
        clock: Callable[[], float],
        *,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        max_age: float = DEFAULT_MAX_AGE_SECONDS,
    ) -> None:
        if max_entries < 1 or max_age <= 0:
            raise ValueError("A token cache needs room for one entry and a positive maximum age")
        self._clock = clock
        self._max_entries, self._max_age = max_entries, max_age
        self._entries: OrderedDict[bytes, _Entry[Principal]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, token: str) -> Principal | None:
        """The principal ``token`` was verified as, while it has not expired; else None (and dropped)."""
        key = _key(token)
        entry = self._entries.get(key)
        if entry is None:
            return None
        if self._clock() >= entry.until:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry.principal

    def put(self, token: str, principal: Principal, expires: int) -> None:
        """Keep ``token``, verified as ``principal``, until ``expires`` (its ``exp``) at the latest."""
        now = self._clock()
        until = min(float(expires), now + self._max_age)
        if until <= now:
            return
        if len(self._entries) >= self._max_entries:
            self._drop_expired(now)
        while len(self._entries) >= self._max_entries:
            self._entries.popitem(last=False)
        self._entries[_key(token)] = _Entry(principal, until)

    def _drop_expired(self, now: float) -> None:
        for key in [key for key, entry in self._entries.items() if now >= entry.until]:
            del self._entries[key]


def _key(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()
