"""Reading one stream both ways, and the global log in pages with each kind of filter."""

from __future__ import annotations

import pytest
from eventstore_helpers import SENTINEL_PREFIX, new_event, new_events, read_everything, settle

from klachtspoor.eventstore.port import START, EventStore, LogFilter, RecordedEvent, StreamState

STREAM = "case:t1:c1"


async def _five(store: EventStore) -> None:
    await store.append(STREAM, new_events(5), StreamState.NO_STREAM)


def _versions(events: list[RecordedEvent]) -> list[int]:
    return [e.version for e in events]


@pytest.mark.parametrize(
    ("from_version", "limit", "expected"),
    [(None, None, [0, 1, 2, 3, 4]), (2, None, [2, 3, 4]), (1, 2, [1, 2]), (4, 10, [4]), (5, None, [])],
)
async def test_read_stream_forwards(
    store: EventStore, from_version: int | None, limit: int | None, expected: list[int]
) -> None:
    await _five(store)
    assert _versions(await store.read_stream(STREAM, from_version=from_version, limit=limit)) == expected


@pytest.mark.parametrize(
    ("from_version", "limit", "expected"),
    [(None, None, [4, 3, 2, 1, 0]), (None, 2, [4, 3]), (2, None, [2, 1, 0]), (3, 2, [3, 2]), (0, 5, [0])],
)
async def test_read_stream_backwards(
    store: EventStore, from_version: int | None, limit: int | None, expected: list[int]
) -> None:
    await _five(store)
    events = await store.read_stream(STREAM, from_version=from_version, backwards=True, limit=limit)
    assert _versions(events) == expected


async def test_read_stream_reads_only_its_stream(store: EventStore) -> None:
    await _five(store)
    await store.append("case:t1:c10", new_events(2), StreamState.NO_STREAM)
    assert {e.stream for e in await store.read_stream(STREAM)} == {STREAM}
    assert await store.read_stream("case:t1:unknown") == []


async def _mixed_log(store: EventStore) -> None:
    """Streams of two tenants and categories, and names that only match a prefix if ``_`` is a wildcard."""
    await store.append(
        "case:t1:a",
        [new_event("KlachtIngediend", "t1"), new_event("BriefVerstuurd", "t1")],
        StreamState.NO_STREAM,
    )
    await store.append("case:t2:b", [new_event("KlachtIngediend", "t2")], StreamState.NO_STREAM)
    await store.append("signal:t1:c", [new_event("SignaalOntvangen", "t1")], StreamState.NO_STREAM)
    await store.append("case_x:t1:d", [new_event("KlachtIngediend", "t1")], StreamState.NO_STREAM)
    await store.append("caseXx:t1:e", [new_event("KlachtIngediend", "t1")], StreamState.NO_STREAM)
    await store.append("case:t1:a", [new_event("BriefVerstuurd", "t1")], 1)
    await store.append("signal:t2:f", [new_event("SignaalOntvangen", "t2")], StreamState.NO_STREAM)


async def test_read_all_pages_through_the_log_in_order(store: EventStore) -> None:
    await _mixed_log(store)
    everything = await read_everything(store)
    assert [(e.stream, e.version) for e in everything] == [
        ("case:t1:a", 0),
        ("case:t1:a", 1),
        ("case:t2:b", 0),
        ("signal:t1:c", 0),
        ("case_x:t1:d", 0),
        ("caseXx:t1:e", 0),
        ("case:t1:a", 2),
        ("signal:t2:f", 0),
    ]
    positions = [e.position for e in everything]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    paged: list[RecordedEvent] = []
    after = START
    while page := await store.read_all(after=after, limit=3):
        assert len(page) <= 3
        paged.extend(e for e in page if e.stream in {x.stream for x in everything})
        after = page[-1].position
    assert paged == everything
    assert all(e.stream.startswith(SENTINEL_PREFIX) for e in await store.read_all(after=positions[-1]))


@pytest.mark.parametrize(
    ("filter", "expected"),
    [
        (LogFilter(tenants=frozenset({"t2"})), [("case:t2:b", 0), ("signal:t2:f", 0)]),
        (
            LogFilter(stream_prefixes=("case:t1:", "signal:")),
            [("case:t1:a", 0), ("case:t1:a", 1), ("signal:t1:c", 0), ("case:t1:a", 2), ("signal:t2:f", 0)],
        ),
        (LogFilter(stream_prefixes=("case_x:",)), [("case_x:t1:d", 0)]),
        (LogFilter(stream_prefixes=("case%",)), []),
        (LogFilter(event_types=frozenset({"BriefVerstuurd"})), [("case:t1:a", 1), ("case:t1:a", 2)]),
        (
            LogFilter(
                tenants=frozenset({"t1"}), event_types=frozenset({"KlachtIngediend", "SignaalOntvangen"})
            ),
            [("case:t1:a", 0), ("signal:t1:c", 0), ("case_x:t1:d", 0), ("caseXx:t1:e", 0)],
        ),
        (LogFilter(tenants=frozenset({"t2"}), stream_prefixes=("case:",)), [("case:t2:b", 0)]),
        (LogFilter(tenants=frozenset()), []),
    ],
)
async def test_read_all_filters(
    store: EventStore, filter: LogFilter, expected: list[tuple[str, int]]
) -> None:
    await _mixed_log(store)
    await settle(store)
    for page_size in (1, 2, 1000):
        found: list[RecordedEvent] = []
        after = START
        while page := await store.read_all(after=after, filter=filter, limit=page_size):
            assert len(page) <= page_size
            found.extend(page)
            after = page[-1].position
        assert [(e.stream, e.version) for e in found] == expected
        assert all(filter.matches(e) for e in found)
