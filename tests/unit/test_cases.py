"""Loading a case and the decide-append-retry loop, on the in-memory store (pure unit tests)."""

import uuid
from datetime import UTC, datetime

import pytest

from contracts.base import Actor
from contracts.envelope import Envelope
from contracts.events import CaseReferenceAssigned
from contracts.vocabulary import Role
from klachtspoor.cases import CaseRepository, ConcurrencyExhausted, LoadedCase, decide_and_append
from klachtspoor.codec import EventCodec, make_envelope
from klachtspoor.crypto import Keyring, MasterKey
from klachtspoor.crypto.memory import InMemoryKeyStore
from klachtspoor.eventstore.memory import InMemoryEventStore
from klachtspoor.eventstore.port import StreamState
from klachtspoor.eventstore.streams import case_stream

CASE = uuid.uuid4()
STREAM = case_stream("demo", str(CASE))


def _repository() -> CaseRepository:
    keyring = Keyring(InMemoryKeyStore(), MasterKey.from_base64(MasterKey.generate_base64()))
    return CaseRepository(InMemoryEventStore(), EventCodec(keyring))


def _reference(number: int, event_id: uuid.UUID | None = None) -> Envelope:
    return make_envelope(
        CaseReferenceAssigned(reference=f"KS-2026-{number:06d}"),
        event_id=event_id or uuid.uuid4(),
        tenant="demo",
        stream=STREAM,
        case_id=CASE,
        actor=Actor(id="system", role=Role.SYSTEM),
        occurred_at=datetime(2026, 11, 23, tzinfo=UTC),
        correlation_id=CASE,
    )


async def test_load_missing_stream_is_empty_with_no_version() -> None:
    case = await _repository().load(STREAM)
    assert case.version is None and case.events == ()


async def test_decide_appends_at_the_loaded_version_and_nothing_when_nothing_is_decided() -> None:
    repo = _repository()
    first = await decide_and_append(repo, STREAM, lambda case: [_reference(len(case.events))])
    second = await decide_and_append(repo, STREAM, lambda case: [_reference(len(case.events))])
    nothing = await decide_and_append(repo, STREAM, lambda case: [])
    assert first is not None and first.version == 0
    assert second is not None and second.version == 1
    assert nothing is None
    loaded = await repo.load(STREAM)
    assert [e.event.reference for e in loaded.events] == ["KS-2026-000000", "KS-2026-000001"]  # type: ignore[union-attr]


class _StaleFirst(CaseRepository):
    """Its first load misses the latest event, as when another writer appends in between."""

    stale_loads = 1

    async def load(self, stream: str) -> LoadedCase:
        case = await super().load(stream)
        if self.stale_loads > 0:
            self.stale_loads -= 1
            return LoadedCase(stream, None, ())
        return case


async def test_a_conflict_makes_the_loop_decide_again_on_fresh_state() -> None:
    repo = _repository()
    await repo.append(STREAM, [_reference(7)], StreamState.NO_STREAM)
    stale = _StaleFirst(repo.store, repo.codec)
    seen: list[int] = []

    def decide(case: LoadedCase) -> list[Envelope]:
        seen.append(len(case.events))
        return [_reference(100 + len(case.events))]

    result = await decide_and_append(stale, STREAM, decide)
    assert seen == [0, 1]
    assert result is not None and result.version == 1


async def test_gives_up_after_the_attempts_with_a_typed_error() -> None:
    repo = _repository()
    await repo.append(STREAM, [_reference(7)], StreamState.NO_STREAM)
    stale = _StaleFirst(repo.store, repo.codec)
    stale.stale_loads = 10
    with pytest.raises(ConcurrencyExhausted, match="3 conflicting appends"):
        await decide_and_append(stale, STREAM, lambda case: [_reference(1)], attempts=3)
    assert len((await repo.load(STREAM)).events) == 1


class _CountingLoads(CaseRepository):
    loads = 0

    async def load(self, stream: str) -> LoadedCase:
        self.loads += 1
        return await super().load(stream)


async def test_a_case_the_caller_loaded_is_decided_on_without_reading_it_again() -> None:
    repo = _repository()
    counting = _CountingLoads(repo.store, repo.codec)
    await counting.append(STREAM, [_reference(1)], StreamState.NO_STREAM)
    case = await counting.load(STREAM)
    result = await decide_and_append(counting, STREAM, lambda c: [_reference(len(c.events) + 1)], loaded=case)
    assert result is not None and result.version == 1
    assert counting.loads == 1


async def test_a_case_loaded_before_another_append_is_read_anew_and_decided_again() -> None:
    repo = _repository()
    counting = _CountingLoads(repo.store, repo.codec)
    await counting.append(STREAM, [_reference(1)], StreamState.NO_STREAM)
    stale = await counting.load(STREAM)
    await counting.append(STREAM, [_reference(2)], 0)  # someone else appended meanwhile
    seen: list[int] = []

    def decide(case: LoadedCase) -> list[Envelope]:
        seen.append(len(case.events))
        return [_reference(10 + len(case.events))]

    result = await decide_and_append(counting, STREAM, decide, loaded=stale)
    assert seen == [1, 2]  # the stale case was refused at its version, the fresh one appended
    assert result is not None and result.version == 2
