"""Appends: the expected-version matrix, atomic batches, idempotent retries, concurrent writers."""

from __future__ import annotations

import asyncio

import pytest
from eventstore_helpers import new_event, new_events, read_everything

from klachtspoor.eventstore.errors import DuplicateEventId, InvalidAppend, WrongExpectedVersion
from klachtspoor.eventstore.port import EventStore, ExpectedVersion, StreamState

STREAM = "case:t1:c1"


async def _stream_of_two(store: EventStore) -> None:
    await store.append(STREAM, new_events(2), StreamState.NO_STREAM)


SIZES = pytest.mark.parametrize("size", [1, 3])
"""Every case with one event and with several: the adapters may take different paths for each."""


@SIZES
@pytest.mark.parametrize("expected", [StreamState.NO_STREAM, StreamState.ANY])
async def test_missing_stream_accepts(store: EventStore, expected: ExpectedVersion, size: int) -> None:
    result = await store.append(STREAM, new_events(size), expected)
    assert result.version == size - 1
    assert [e.version for e in await store.read_stream(STREAM)] == list(range(size))


@SIZES
@pytest.mark.parametrize("expected", [StreamState.EXISTS, 0, 5])
async def test_missing_stream_refuses(store: EventStore, expected: ExpectedVersion, size: int) -> None:
    with pytest.raises(WrongExpectedVersion) as caught:
        await store.append(STREAM, new_events(size), expected)
    assert (
        str(caught.value)
        == f"Wrong expected version: {expected} (Stream: {STREAM}, Stream Version: no stream)"
    )
    assert caught.value.actual is None
    assert await read_everything(store) == []


@pytest.mark.parametrize(
    ("expected", "version_after"), [(StreamState.ANY, 2), (StreamState.EXISTS, 2), (1, 2)]
)
async def test_existing_stream_accepts(
    store: EventStore, expected: ExpectedVersion, version_after: int
) -> None:
    await _stream_of_two(store)
    result = await store.append(STREAM, [new_event()], expected)
    assert result.version == version_after
    assert [e.version for e in await store.read_stream(STREAM)] == [0, 1, 2]


@SIZES
@pytest.mark.parametrize("expected", [StreamState.NO_STREAM, 0, 2, 7])
async def test_existing_stream_refuses(store: EventStore, expected: ExpectedVersion, size: int) -> None:
    await _stream_of_two(store)
    with pytest.raises(WrongExpectedVersion) as caught:
        await store.append(STREAM, new_events(size), expected)
    assert str(caught.value) == f"Wrong expected version: {expected} (Stream: {STREAM}, Stream Version: 1)"
    assert caught.value.actual == 1
    assert len(await store.read_stream(STREAM)) == 2


async def test_negative_expected_version_is_invalid(store: EventStore) -> None:
    with pytest.raises(InvalidAppend, match="-1"):
        await store.append(STREAM, [new_event()], -1)
    assert await read_everything(store) == []


async def test_result_is_the_next_expected_version(store: EventStore) -> None:
    first = await store.append(STREAM, new_events(3), StreamState.NO_STREAM)
    second = await store.append(STREAM, new_events(2), first.version)
    assert (first.version, second.version) == (2, 4)
    recorded = await store.read_stream(STREAM)
    assert [e.position for e in recorded][2] == first.position
    assert recorded[-1].position == second.position


async def test_batch_is_consecutive_and_round_trips(store: EventStore) -> None:
    events = [
        new_event(
            "KlachtIngediend", "t1", text="Zeer ontevreden über de gang van zaken", items=[1, 2.5, None]
        ),
        new_event("KlachtIngediend", "t1", nested={"a": {"b": [True, False]}}),
        new_event("BriefVerstuurd", "t1"),
    ]
    result = await store.append(STREAM, events, StreamState.NO_STREAM)
    recorded = await store.read_stream(STREAM)
    assert [(r.event_id, r.type, r.tenant, dict(r.data), dict(r.metadata), r.version) for r in recorded] == [
        (e.event_id, e.type, e.tenant, dict(e.data), dict(e.metadata), i) for i, e in enumerate(events)
    ]
    positions = [r.position for r in recorded]
    assert positions == sorted(positions) and len(set(positions)) == 3
    assert result.position == positions[-1]
    assert await read_everything(store) == recorded


async def test_batch_with_a_clashing_id_writes_nothing(store: EventStore) -> None:
    taken = new_event()
    await store.append("case:t1:other", [taken], StreamState.NO_STREAM)
    batch = [*new_events(2), taken]
    with pytest.raises(DuplicateEventId) as caught:
        await store.append(STREAM, batch, StreamState.ANY)
    assert caught.value.event_id == taken.event_id
    assert caught.value.existing_stream == "case:t1:other"
    assert await store.read_stream(STREAM) == []
    assert [e.event_id for e in await read_everything(store)] == [taken.event_id]


@SIZES
async def test_retry_with_same_ids_and_expected_version_returns_first_result(
    store: EventStore, size: int
) -> None:
    await _stream_of_two(store)
    batch = new_events(size)
    first = await store.append(STREAM, batch, 1)
    again = await store.append(STREAM, batch, 1)
    assert again == first
    assert [e.version for e in await store.read_stream(STREAM)] == list(range(2 + size))


@SIZES
@pytest.mark.parametrize("expected", [StreamState.NO_STREAM, StreamState.ANY])
async def test_retry_of_stream_creation(store: EventStore, expected: ExpectedVersion, size: int) -> None:
    batch = new_events(size)
    first = await store.append(STREAM, batch, expected)
    assert await store.append(STREAM, batch, expected) == first
    assert [e.event_id for e in await read_everything(store)] == [e.event_id for e in batch]


async def test_retry_of_the_last_append_with_any_and_exists(store: EventStore) -> None:
    await _stream_of_two(store)
    batch = [new_event()]
    first = await store.append(STREAM, batch, StreamState.EXISTS)
    assert await store.append(STREAM, batch, StreamState.EXISTS) == first
    assert await store.append(STREAM, batch, StreamState.ANY) == first
    assert len(await store.read_stream(STREAM)) == 3


async def test_partially_overlapping_ids_clash(store: EventStore) -> None:
    a, b, c = new_events(3)
    await store.append(STREAM, [a, b], StreamState.NO_STREAM)
    for batch, expected in ([b, c], 1), ([c, b], 1), ([b, a], StreamState.ANY), ([c, a], 1):
        with pytest.raises(DuplicateEventId) as caught:
            await store.append(STREAM, batch, expected)
        assert caught.value.event_id in {a.event_id, b.event_id}
    assert [e.event_id for e in await read_everything(store)] == [a.event_id, b.event_id]


async def test_ids_from_another_stream_clash(store: EventStore) -> None:
    batch = new_events(2)
    await store.append("case:t1:first", batch, StreamState.NO_STREAM)
    with pytest.raises(DuplicateEventId) as caught:
        await store.append(STREAM, batch, StreamState.NO_STREAM)
    assert caught.value.existing_stream == "case:t1:first"
    assert "already in stream case:t1:first" in str(caught.value)
    assert await store.read_stream(STREAM) == []


@SIZES
async def test_concurrent_appends_at_one_expected_version_one_wins(store: EventStore, size: int) -> None:
    await _stream_of_two(store)
    outcomes = await asyncio.gather(
        *(store.append(STREAM, new_events(size), 1) for _ in range(8)), return_exceptions=True
    )
    wins = [o for o in outcomes if not isinstance(o, BaseException)]
    losses = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(wins) == 1 and wins[0].version == 1 + size
    assert all(isinstance(o, WrongExpectedVersion) and o.actual == 1 + size for o in losses), losses
    assert [e.version for e in await store.read_stream(STREAM)] == list(range(2 + size))


async def test_concurrent_creations_one_wins(store: EventStore) -> None:
    outcomes = await asyncio.gather(
        *(store.append(STREAM, [new_event()], StreamState.NO_STREAM) for _ in range(8)),
        return_exceptions=True,
    )
    assert sum(not isinstance(o, BaseException) for o in outcomes) == 1
    assert all(isinstance(o, WrongExpectedVersion) for o in outcomes if isinstance(o, BaseException))
    assert len(await read_everything(store)) == 1


@SIZES
async def test_concurrent_identical_retries_write_once(store: EventStore, size: int) -> None:
    await _stream_of_two(store)
    batch = new_events(size)
    for expected in (1, StreamState.ANY):
        outcomes = await asyncio.gather(*(store.append(STREAM, batch, expected) for _ in range(6)))
        assert len(set(outcomes)) == 1
    assert [e.version for e in await store.read_stream(STREAM)] == list(range(2 + size))


async def test_concurrent_any_appends_all_land_in_order(store: EventStore) -> None:
    batches = [new_events(2) for _ in range(10)]
    results = await asyncio.gather(*(store.append(STREAM, b, StreamState.ANY) for b in batches))
    assert sorted(r.version for r in results) == [2 * i + 1 for i in range(10)]
    recorded = await store.read_stream(STREAM)
    assert [e.version for e in recorded] == list(range(20))
    assert [e.version for e in await read_everything(store)] == list(range(20))
