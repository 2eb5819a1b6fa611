"""Relayed events of different cases handled at once, those of one case one after the other.

FastStream's pull consumer handles the messages of one fetch together and fetches again only once the
slowest is done, so one slow wait (the event store, the key store, the SMTP server) holds up every
message behind it: throughput bounded by latency, not by CPU. JetStream consumers therefore run with
several workers (FastStream's ``max_workers``), each taking the next message as it arrives.

One stream is handled by one worker at a time, in the order the messages arrived (``asyncio.Lock`` wakes
its waiters first come, first served), so a case's events are never decided against each other at once.
Writes stay safe across cases and across instances by the expected version of every append, as before.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class StreamTurns:
    """``async with turns.of(stream):`` waits for the earlier messages of that stream to be handled.

    Locks live only while a stream has a message in hand or waiting, so the map does not grow with the
    number of cases ever seen.
    """

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._holders: dict[str, int] = {}

    @asynccontextmanager
    async def of(self, stream: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(stream, asyncio.Lock())
        self._holders[stream] = self._holders.get(stream, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._holders[stream] -= 1
            if not self._holders[stream]:
                del self._holders[stream], self._locks[stream]

    def __len__(self) -> int:
        """Streams with a message in hand or waiting."""
        return len(self._locks)
