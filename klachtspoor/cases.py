"""Loading a case stream as envelopes and appending decisions with optimistic concurrency.

The loop in :func:`decide_and_append` is how every reacting service and staff command changes a case:
load, decide (pure), append with the expected version, and on a conflict load again and decide again.
Deterministic event ids make a repeated decision an idempotent retry in the store.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from contracts.envelope import Envelope
from klachtspoor.codec import EventCodec
from klachtspoor.eventstore.errors import EventStoreError, WrongExpectedVersion
from klachtspoor.eventstore.port import AppendResult, EventStore, ExpectedVersion, StreamState
from klachtspoor.retry import Backoff

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
    repository: CaseRepository,
    stream: str,
    decide: Decision,
    *,
    attempts: int = 8,
    loaded: LoadedCase | None = None,
) -> AppendResult | None:
    """Run ``decide`` on the current case and append its events; None when it decided nothing.

    ``loaded``: the case as the caller already read it, decided on first instead of reading it again. If
    the stream has moved on since, the append's expected version refuses it and the case is read anew.
    """
    conflicting = Backoff(initial=0.0, maximum=0.5, jitter=0.02)  # jitter keeps colliding writers apart
    try:
        async for attempt in conflicting.retrying(
            lambda error: isinstance(error, WrongExpectedVersion), attempts=attempts
        ):
            with attempt:
                case = loaded if loaded is not None else await repository.load(stream)
                loaded = None
                envelopes = decide(case)
                if not envelopes:
                    return None
                return await repository.append(stream, envelopes, case.expected_version)
    except WrongExpectedVersion:
        raise ConcurrencyExhausted(stream, attempts) from None
    raise AssertionError("unreachable: stamina returns or raises")
