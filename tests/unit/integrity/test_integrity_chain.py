"""The chain's pure parts: the canonical form, hashing, the decorator over the in-memory store, and
verify_stream naming each kind of break."""

from __future__ import annotations

import asyncio
import hashlib
import json
from uuid import UUID, uuid4

import pytest

from klachtspoor.eventstore.errors import InvalidAppend, WrongExpectedVersion
from klachtspoor.eventstore.jsondoc import JsonObject
from klachtspoor.eventstore.memory import InMemoryEventStore
from klachtspoor.eventstore.port import NewEvent, RecordedEvent, StreamState
from klachtspoor.integrity.chain import (
    CHAIN_KEY,
    ZERO_HASH,
    ChainedMetadata,
    canonical_form,
    link_of,
    recorded_hash,
)
from klachtspoor.integrity.store import ChainedEventStore
from klachtspoor.integrity.verify import LogChecker, Problem, verify_stream

STREAM = "case:t1:c1"
EVENT_ID = UUID("12345678-1234-5678-1234-567812345678")


def _event(n: int = 1, **metadata: object) -> NewEvent:
    return NewEvent(uuid4(), "SignaalOntvangen", "t1", {"n": n, "text": "enc:v1:abc"}, metadata)


def _tampered(event: RecordedEvent, **changes: object) -> RecordedEvent:
    return event._replace(**changes)  # type: ignore[arg-type]


async def _chained(count: int) -> tuple[ChainedEventStore, list[RecordedEvent]]:
    store = ChainedEventStore(InMemoryEventStore())
    await store.append(STREAM, [_event(0, correlation_id="c")], StreamState.NO_STREAM)
    for n in range(1, count):
        await store.append(STREAM, [_event(n)], StreamState.ANY)
    return store, await store.inner.read_stream(STREAM)


def test_the_canonical_form_is_the_documented_bytes() -> None:
    form = canonical_form(
        STREAM, EVENT_ID, "T", "t1", 2, {"b": 1, "a": "é"}, {"chain": {"v": 1, "prev": ZERO_HASH}}
    )
    expected = (
        '[1,"case:t1:c1","12345678-1234-5678-1234-567812345678","T","t1",2,{"a":"é","b":1},'
        f'{{"chain":{{"prev":"{ZERO_HASH}","v":1}}}}]'
    ).encode()
    assert form == expected


def test_the_form_does_not_depend_on_key_order_or_on_how_json_was_stored() -> None:
    data = {"z": [1, 2.5, None], "a": {"y": True, "b": "x"}}
    stored = JsonObject(json.dumps(data, indent=4, sort_keys=False))  # as jsonb might print it
    reordered = {"a": {"b": "x", "y": True}, "z": [1, 2.5, None]}
    forms = {canonical_form(STREAM, EVENT_ID, "T", "t1", 1, d, {}) for d in (data, stored, reordered)}
    assert len(forms) == 1


async def test_each_event_links_to_its_predecessor_and_hashes_its_stored_form() -> None:
    _, events = await _chained(3)
    links = [link_of(e) for e in events]
    assert [link.prev if link else None for link in links] == [
        ZERO_HASH,
        recorded_hash(events[0]),
        recorded_hash(events[1]),
    ]
    assert all(
        link is not None and link.hash == recorded_hash(e) for link, e in zip(links, events, strict=True)
    )
    form = canonical_form(
        STREAM,
        events[1].event_id,
        events[1].type,
        "t1",
        1,
        events[1].data,
        {CHAIN_KEY: {"v": 1, "prev": recorded_hash(events[0])}},
    )
    assert recorded_hash(events[1]) == hashlib.sha256(form).hexdigest()
    assert verify_stream(events) is None


async def test_reads_through_the_store_show_the_metadata_as_written_and_still_verify() -> None:
    store, _ = await _chained(2)
    events = await store.read_stream(STREAM)
    assert dict(events[0].metadata) == {"correlation_id": "c"}
    assert CHAIN_KEY not in events[0].metadata and len(events[1].metadata) == 0
    assert isinstance(events[0].metadata, ChainedMetadata)
    assert verify_stream(events) is None


def test_the_metadata_view_hides_the_link_from_every_lookup() -> None:
    view = ChainedMetadata(JsonObject('{"actor":"a","chain":{"v":1,"prev":"p","hash":"h"}}'))
    assert "actor" in view and CHAIN_KEY not in view and "other" not in view
    assert view.get("actor") == "a" and view.get(CHAIN_KEY) is None and view.get("other", 1) == 1
    assert list(view.items()) == [("actor", "a")] and dict(view) == {"actor": "a"}
    with pytest.raises(KeyError):
        view[CHAIN_KEY]


async def test_changed_data_is_a_content_hash_break_at_that_event() -> None:
    _, events = await _chained(3)
    events[1] = _tampered(events[1], data={**events[1].data, "n": 99})
    broken = verify_stream(events)
    assert broken is not None
    assert (broken.stream, broken.version, broken.event_id) == (STREAM, 1, events[1].event_id)
    assert broken.problem is Problem.CONTENT_HASH
    assert broken.expected == recorded_hash(events[1]) and "content hash" in broken.describe()


@pytest.mark.parametrize("field", ["type", "tenant", "schema_version", "stream"])
def test_every_hashed_field_changes_the_hash(field: str) -> None:
    event = RecordedEvent(STREAM, 0, None, EVENT_ID, "T", "t1", {}, {}, 1, None)  # type: ignore[arg-type]
    changed = {"type": "U", "tenant": "t2", "schema_version": 2, "stream": "case:t1:c2"}[field]
    assert recorded_hash(event) != recorded_hash(_tampered(event, **{field: changed}))


async def test_a_removed_event_is_a_version_gap() -> None:
    _, events = await _chained(4)
    broken = verify_stream([events[0], events[1], events[3]])
    assert broken is not None and broken.problem is Problem.VERSION_GAP
    assert (broken.version, broken.event_id) == (3, events[3].event_id)


async def test_swapped_versions_are_a_predecessor_break() -> None:
    _, events = await _chained(4)
    swapped = [events[0], events[2]._replace(version=1), events[1]._replace(version=2), events[3]]
    broken = verify_stream(swapped)
    assert broken is not None and broken.problem is Problem.PREDECESSOR_HASH
    assert (broken.version, broken.event_id) == (1, events[2].event_id)


async def test_a_stripped_link_after_a_linked_event_is_a_break() -> None:
    _, events = await _chained(3)
    stripped = {k: v for k, v in events[2].metadata.items() if k != CHAIN_KEY}
    broken = verify_stream([events[0], events[1], _tampered(events[2], metadata=stripped)])
    assert broken is not None and broken.problem is Problem.MISSING_LINK and broken.version == 2


async def test_events_from_before_the_chain_start_a_stream_and_the_chain_pins_the_last_of_them() -> None:
    memory = InMemoryEventStore()
    await memory.append(STREAM, [_event(0), _event(1)], StreamState.NO_STREAM)  # written unchained
    store = ChainedEventStore(memory)
    await store.append(STREAM, [_event(2)], 1)
    events = await memory.read_stream(STREAM)
    link = link_of(events[2])
    assert link is not None and link.prev == recorded_hash(events[1])
    checker = LogChecker()
    assert [checker.feed(e)[1] for e in events] == [None, None, None]
    assert checker.unchained == 2
    events[1] = _tampered(events[1], data={"n": 5})
    broken = verify_stream(events)
    assert broken is not None and broken.problem is Problem.PREDECESSOR_HASH and broken.version == 2


async def test_a_retried_append_is_recognised_and_a_reserved_key_refused() -> None:
    store = ChainedEventStore(InMemoryEventStore())
    first = _event(0)
    result = await store.append(STREAM, [first], StreamState.NO_STREAM)
    assert await store.append(STREAM, [first], StreamState.NO_STREAM) == result
    assert await store.append(STREAM, [first], StreamState.ANY) == result
    with pytest.raises(InvalidAppend, match="reserved"):
        await store.append(STREAM, [_event(1, chain={"v": 1})], StreamState.ANY)
    with pytest.raises(WrongExpectedVersion):
        await store.append(STREAM, [_event(1)], 5)
    with pytest.raises(WrongExpectedVersion):
        await store.append("case:t1:none", [_event(1)], StreamState.EXISTS)
    assert len(await store.read_stream(STREAM)) == 1


@pytest.mark.parametrize("value", [1e16, -2.5e20, -0.0])
async def test_a_float_that_would_not_read_back_the_same_is_refused(value: float) -> None:
    store = ChainedEventStore(InMemoryEventStore())
    with pytest.raises(InvalidAppend, match=r"data\.x\[1\]"):
        await store.append(STREAM, [NewEvent(uuid4(), "T", "t1", {"x": [1, value]})], StreamState.ANY)


async def test_concurrent_writers_at_any_version_never_fork_a_chain() -> None:
    store = ChainedEventStore(InMemoryEventStore())

    async def writer(n: int) -> None:
        for i in range(20):
            await store.append(STREAM, [_event(n * 100 + i)], StreamState.ANY)
            await asyncio.sleep(0)

    await asyncio.gather(*(writer(n) for n in range(8)))
    events = await store.inner.read_stream(STREAM)
    assert len(events) == 160
    assert verify_stream(events) is None
