"""Bad input is refused before anything is written; a closed store says it is unavailable."""

from __future__ import annotations

import math
from collections.abc import Sequence
from uuid import uuid4

import pytest
from eventstore_helpers import new_event, new_events, read_everything

from klachtspoor.eventstore.errors import (
    EventStoreError,
    InvalidAppend,
    InvalidStreamName,
    PayloadTooLarge,
    StoreUnavailable,
)
from klachtspoor.eventstore.port import EventStore, NewEvent, StreamState


def _oversized(store: EventStore) -> NewEvent:
    return new_event(text="x" * store.max_event_bytes)


def _repeated_id() -> list[NewEvent]:
    event = new_event()
    return [event, NewEvent(event.event_id, "Ander", "t1", {})]


@pytest.mark.parametrize(
    ("stream", "events", "error"),
    [
        ("", lambda s: [new_event()], InvalidStreamName),
        ("case:t1:with space", lambda s: [new_event()], InvalidStreamName),
        ("-case:t1:x", lambda s: [new_event()], InvalidStreamName),
        ("case:t1:" + "x" * 300, lambda s: [new_event()], InvalidStreamName),
        ("case:t1:c1", lambda s: [], InvalidAppend),
        ("case:t1:c1", lambda s: [*new_events(2), _oversized(s)], PayloadTooLarge),
        ("case:t1:c1", lambda s: [new_event(tenant="T1")], InvalidAppend),
        ("case:t1:c1", lambda s: [new_event(tenant="")], InvalidAppend),
        ("case:t1:c1", lambda s: [new_event(tenant="t1; drop")], InvalidAppend),
        ("case:t1:c1", lambda s: [NewEvent(uuid4(), "", "t1", {})], InvalidAppend),
        ("case:t1:c1", lambda s: [NewEvent(uuid4(), "$metadata", "t1", {})], InvalidAppend),
        ("$case:t1:c1", lambda s: [new_event()], InvalidStreamName),
        ("case:t1:c1", lambda s: _repeated_id(), InvalidAppend),
        ("case:t1:c1", lambda s: [new_event(value=math.nan)], InvalidAppend),
        ("case:t1:c1", lambda s: [new_event(value=object())], InvalidAppend),
    ],
)
async def test_bad_append_writes_nothing(
    store: EventStore, stream: str, events: object, error: type[EventStoreError]
) -> None:
    assert callable(events)
    batch: Sequence[NewEvent] = events(store)
    for expected in (StreamState.NO_STREAM, StreamState.ANY):
        with pytest.raises(error):
            await store.append(stream, batch, expected)
    assert await read_everything(store) == []


async def test_payload_at_the_limit_is_accepted(store: EventStore) -> None:
    overhead = len('{"text":""}') + len("{}")
    event = new_event(text="x" * (store.max_event_bytes - overhead))
    await store.append("case:t1:c1", [event], StreamState.NO_STREAM)
    assert [e.event_id for e in await store.read_stream("case:t1:c1")] == [event.event_id]


async def test_payload_too_large_names_the_event(store: EventStore) -> None:
    event = _oversized(store)
    with pytest.raises(PayloadTooLarge) as caught:
        await store.append("case:t1:c1", [event], StreamState.ANY)
    assert str(event.event_id) in str(caught.value)
    assert caught.value.limit == store.max_event_bytes


async def test_closed_store_is_unavailable(store: EventStore) -> None:
    await store.append("case:t1:c1", [new_event()], StreamState.NO_STREAM)
    await store.close()
    with pytest.raises(StoreUnavailable):
        await store.append("case:t1:c1", [new_event()], StreamState.ANY)
    with pytest.raises(StoreUnavailable):
        await store.read_stream("case:t1:c1")
    with pytest.raises(StoreUnavailable):
        await store.read_all()
    with pytest.raises(StoreUnavailable):
        await anext(aiter(store.subscribe()))
