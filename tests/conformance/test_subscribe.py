"""Subscriptions: catch up, then stay live; each matching event exactly once, in log order."""

from __future__ import annotations

from eventstore_helpers import Collector, new_event, new_events, read_everything

from klachtspoor.eventstore.port import EventStore, LogFilter, StreamState


async def test_catch_up_then_live(store: EventStore) -> None:
    await store.append("case:t1:a", new_events(3), StreamState.NO_STREAM)
    await store.append("case:t1:b", new_events(2), StreamState.NO_STREAM)
    collector = Collector(store, batch_size=2)
    try:
        caught_up = await collector.wait_for(5)
        await store.append("case:t1:a", new_events(2), 2)
        await store.append("case:t1:c", new_events(1), StreamState.NO_STREAM)
        live = await collector.wait_for(8)
    finally:
        await collector.stop()
    everything = [e for e in await read_everything(store)]
    assert caught_up == everything[:5]
    assert [e.event_id for e in live if not e.stream.startswith("settle:")] == [
        e.event_id for e in everything
    ]


async def test_filtered_subscription_sees_only_matches(store: EventStore) -> None:
    wanted = LogFilter(tenants=frozenset({"t2"}), event_types=frozenset({"KlachtIngediend"}))
    await store.append("case:t1:a", [new_event("KlachtIngediend", "t1")], StreamState.NO_STREAM)
    await store.append("case:t2:b", [new_event("KlachtIngediend", "t2")], StreamState.NO_STREAM)
    collector = Collector(store, filter=wanted, batch_size=1)
    try:
        await collector.wait_for(1)
        for i in range(20):  # many non-matching events between the matches
            await store.append(f"case:t1:x{i}", [new_event("KlachtIngediend", "t1")], StreamState.NO_STREAM)
        await store.append("case:t2:b", [new_event("BriefVerstuurd", "t2")], 0)
        await store.append("case:t2:b", [new_event("KlachtIngediend", "t2")], 1)
        seen = await collector.wait_for(2)
    finally:
        await collector.stop()
    matching = await read_everything(store, filter=wanted)
    assert [(e.stream, e.version) for e in matching] == [("case:t2:b", 0), ("case:t2:b", 2)]
    assert seen == matching
    assert len(collector.events) == 2


async def test_subscription_after_a_position(store: EventStore) -> None:
    first = await store.append("case:t1:a", new_events(3), StreamState.NO_STREAM)
    collector = Collector(store, after=first.position)
    try:
        await store.append("case:t1:a", new_events(2), first.version)
        seen = await collector.wait_for(2)
    finally:
        await collector.stop()
    assert [e.version for e in seen if e.stream == "case:t1:a"] == [3, 4]
