"""Anchors: the running digest, recording over an in-memory store, export and the checks against it."""

from __future__ import annotations

import hashlib
from uuid import uuid4

import pytest

from klachtspoor.eventstore.memory import InMemoryEventStore
from klachtspoor.eventstore.port import START, NewEvent, Position, RecordedEvent, StreamState
from klachtspoor.integrity.anchors import (
    Anchor,
    AnchorBreak,
    AnchorCheck,
    Move,
    RunningDigest,
    continuation,
    export_lines,
    parse_lines,
    record_anchor,
)
from klachtspoor.integrity.audit import check_log
from klachtspoor.integrity.chain import recorded_hash
from klachtspoor.integrity.store import ChainedEventStore


class MemoryAnchors:
    def __init__(self) -> None:
        self.anchors: list[Anchor] = []
        self.moves: list[Move] = []

    async def last(self) -> Anchor | None:
        return self.anchors[-1] if self.anchors else None

    async def last_move(self) -> Move | None:
        return self.moves[-1] if self.moves else None

    async def add(self, anchor: Anchor) -> Anchor:
        self.anchors.append(anchor)
        return anchor


async def _log(streams: int, per_stream: int) -> ChainedEventStore:
    store = ChainedEventStore(InMemoryEventStore())
    for i in range(per_stream):
        for s in range(streams):
            event = NewEvent(uuid4(), "T", "t1", {"s": s, "i": i})
            await store.append(f"case:t1:c{s}", [event], StreamState.ANY)
    return store


def _walk(events: list[RecordedEvent], anchors: list[Anchor]) -> AnchorBreak | None:
    check = AnchorCheck(anchors)
    for event in events:
        broken = check.feed(recorded_hash(event), event.position)
        if broken is not None:
            return broken
    return check.end()


def test_the_digest_runs_as_documented() -> None:
    running = RunningDigest()
    hashes = [hashlib.sha256(bytes([n])).hexdigest() for n in range(3)]
    for n, event_hash in enumerate(hashes):
        running.add(event_hash, (n, n))  # type: ignore[arg-type]
    expected = bytes(32)
    for event_hash in hashes:
        expected = hashlib.sha256(expected + bytes.fromhex(event_hash)).digest()
    assert running.digest == expected and running.count == 3


async def test_recording_extends_the_last_anchor_and_records_nothing_when_nothing_is_new() -> None:
    store, table = await _log(3, 2), MemoryAnchors()
    first = await record_anchor(store.inner, table)
    assert first is not None and first.count == 6
    assert await record_anchor(store.inner, table) is None
    await store.append("case:t1:c9", [NewEvent(uuid4(), "T", "t1", {})], StreamState.NO_STREAM)
    second = await record_anchor(store.inner, table)
    assert second is not None and second.count == 7
    from_scratch = RunningDigest()
    for event in await store.inner.read_all():
        from_scratch.add(recorded_hash(event), event.position)
    assert from_scratch.anchor().digest == second.digest


async def test_the_log_matches_its_exported_anchors_and_a_changed_log_does_not() -> None:
    store, table = await _log(2, 3), MemoryAnchors()
    await record_anchor(store.inner, table)
    exported = parse_lines(list(export_lines(table.anchors)), "anchors.jsonl")
    assert exported == table.anchors
    report = await check_log(store.inner, anchors=exported)
    assert report.intact and report.anchors_matched == 1 and report.checked == 6

    events = await store.inner.read_all()
    assert _walk(events, exported) is None
    dropped = _walk(events[:-1], exported)
    assert dropped is not None and "ends after 5 events" in dropped.describe()
    reordered = [*events[:2], events[3], events[2], *events[4:]]
    moved = _walk(reordered, exported)
    assert moved is not None and "rewritten, removed or reordered" in moved.describe()
    changed = [*events[:4], events[4]._replace(data={"s": 0, "i": 9}), events[5]]
    rewritten = _walk(changed, exported)
    assert rewritten is not None and rewritten.found_digest != exported[0].digest


async def test_anchors_match_a_log_in_another_store_by_count_and_digest_whatever_its_positions() -> None:
    """After a move the log has the same events in the same order at the new store's own positions."""
    store, table = await _log(2, 3), MemoryAnchors()
    await record_anchor(store.inner, table)
    events = await store.inner.read_all()
    elsewhere = [e._replace(position=Position(9000 + 7 * n, 9000 + 7 * n)) for n, e in enumerate(events)]
    assert _walk(elsewhere, table.anchors) is None
    swapped = [*elsewhere[:1], elsewhere[2], elsewhere[1], *elsewhere[3:]]
    assert _walk(swapped, table.anchors) is not None


def test_anchors_go_on_from_a_move_that_covers_at_least_the_last_anchor() -> None:
    old = Anchor(count=6, position="774/6", digest="a" * 64)
    move = Move(count=6, position=Position(5120, 5120), digest="a" * 64, target="esdb://node1:2113")
    running = continuation(old, move)
    assert (running.count, running.position, running.digest.hex()) == (6, Position(5120, 5120), "a" * 64)
    later = Anchor(count=9, position="6144/6144", digest="b" * 64)
    assert continuation(later, move).position == Position(6144, 6144)
    assert continuation(None, Move(0, START, "0" * 64, "esdb://node1:2113")).count == 0
    assert continuation(None, None).position == START


def test_a_bad_export_line_names_its_number() -> None:
    good = Anchor(count=1, position="1/1", digest="a" * 64)
    with pytest.raises(ValueError, match=r"anchors\.jsonl line 2"):
        parse_lines([good.model_dump_json(), '{"count": 0}'], "anchors.jsonl")


async def test_a_tenant_check_cannot_take_anchors() -> None:
    store = await _log(1, 1)
    with pytest.raises(ValueError, match="whole global log"):
        await check_log(store.inner, tenant="t1", anchors=[Anchor(count=1, position="0/0", digest="a" * 64)])
