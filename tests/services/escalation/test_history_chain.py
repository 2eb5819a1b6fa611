"""The replay's chain section, from the stored events: intact through the chaining store, broken (and
where) when a stored event changed, and ``not_checked`` for a stream written before the chain existed."""

from __future__ import annotations

from uuid import uuid4

from klachtspoor.eventstore.memory import InMemoryEventStore
from klachtspoor.eventstore.port import EventStore, NewEvent, RecordedEvent, StreamState
from klachtspoor.integrity.store import ChainedEventStore
from services.escalation.application.history import chain_verified, read_stream
from services.escalation.domain.history import ChainStatus

STREAM = "case:demo:7d9c3a52-1111-4b3c-8d2e-5f6a7b8c9d0e"


async def written(store: EventStore, count: int = 3) -> list[RecordedEvent]:
    events = [
        NewEvent(
            event_id=uuid4(), type="CaseReferenceAssigned", tenant="demo", data={"reference": f"KS-{i:04}"}
        )
        for i in range(count)
    ]
    await store.append(STREAM, events, StreamState.NO_STREAM)
    return await read_stream(store, STREAM)


async def test_a_stream_appended_through_the_chain_is_intact() -> None:
    check = chain_verified(await written(ChainedEventStore(InMemoryEventStore())))
    assert (check.status, check.checked, check.first_break, check.detail) == (
        ChainStatus.INTACT,
        3,
        None,
        None,
    )


async def test_a_changed_event_is_named_as_the_first_break() -> None:
    stored = await written(ChainedEventStore(InMemoryEventStore()))
    altered = stored[1]._replace(data={"reference": "KS-9999"})
    check = chain_verified([stored[0], altered, stored[2]])
    assert check.status is ChainStatus.BROKEN and check.first_break is not None
    assert (check.first_break.version, check.first_break.event_id) == (1, stored[1].event_id)
    assert check.first_break.problem == "content hash" and check.detail is not None


async def test_a_stream_from_before_the_chain_is_not_claimed_intact() -> None:
    check = chain_verified(await written(InMemoryEventStore()))
    assert (check.status, check.checked) == (ChainStatus.NOT_CHECKED, 3)
    assert check.detail is not None and "before the hash chain" in check.detail
