"""Loading a case stream as envelopes and appending decisions with optimistic concurrency.

The loop in :func:`decide_and_append` is how every reacting service and staff command changes a case:
load, decide (pure), append with the expected version, and on a conflict load again and decide again.
Deterministic event ids make a repeated decision an idempotent retry in the store.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from contracts.envelope import Envelope
from klachtspoor.codec import EventCodec
from klachtspoor.eventstore.errors import EventStoreError, WrongExpectedVersion
from klachtspoor.eventstore.port import AppendResult, EventStore, ExpectedVersion, StreamState

_PAGE = 500


@dataclass(frozen=True)
class LoadedCase:
    stream: str
    version: int | None
    """Version of the last event; None when the stream does not exist."""
    events: tuple[Envelope, ...]

    @property
    def expected_version(self) -> ExpectedVersion:
        return StreamState.NO_STREAM if self.version is None else self.version


class ConcurrencyExhausted(EventStoreError):
    def __init__(self, stream: str, attempts: int) -> None:
        super().__init__(f"Gave up after {attempts} conflicting appends (Stream: {stream})")


class CaseRepository:
    def __init__(self, store: EventStore, codec: EventCodec) -> None:
        self.store, self.codec = store, codec

    async def load(self, stream: str) -> LoadedCase:
        events: list[Envelope] = []
        version: int | None = None
        while page := await self.store.read_stream(stream, from_version=len(events), limit=_PAGE):
            for recorded in page:
                events.append(await self.codec.decode(recorded))
                version = recorded.version
            if len(page) < _PAGE:
                break
        return LoadedCase(stream, version, tuple(events))

    async def append(
        self, stream: str, envelopes: Sequence[Envelope], expected: ExpectedVersion
    ) -> AppendResult:
        new_events = [await self.codec.encode(envelope) for envelope in envelopes]
        return await self.store.append(stream, new_events, expected)


Decision = Callable[[LoadedCase], Sequence[Envelope]]


async def decide_and_append(
    repository: CaseRepository, stream: str, decide: Decision, *, attempts: int = 8
) -> AppendResult | None:
    """Run ``decide`` on the current case and append its events; None when it decided nothing."""
    for attempt in range(1, attempts + 1):
        case = await repository.load(stream)
        envelopes = decide(case)
        if not envelopes:
            return None
        try:
            return await repository.append(stream, envelopes, case.expected_version)
        except WrongExpectedVersion:
            if attempt == attempts:
                break
            await asyncio.sleep(random.uniform(0, 0.01 * 2**attempt))
    raise ConcurrencyExhausted(stream, attempts)
