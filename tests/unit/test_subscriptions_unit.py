"""Pure parts of the subscription runner: retry policy, names, schema files, the batching feed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from importlib import resources
from uuid import uuid4

import pytest

from klachtspoor.eventstore.errors import StoreUnavailable
from klachtspoor.eventstore.memory import InMemoryEventStore
from klachtspoor.eventstore.port import START, LogFilter, NewEvent, Position, RecordedEvent, StreamState
from klachtspoor.subscriptions import Projection, Reactor, RetryPolicy
from klachtspoor.subscriptions.feed import Feed
from klachtspoor.subscriptions.schema import MIGRATIONS


async def _noop(*_: object) -> None:
    return None


def test_backoff_grows_and_is_capped() -> None:
    policy = RetryPolicy(attempts=5, backoff=0.5, multiplier=3, max_backoff=4)
    assert [policy.delay(n) for n in range(1, 5)] == [0.5, 1.5, 4.0, 4.0]


@pytest.mark.parametrize("kwargs", [{"attempts": 0}, {"backoff": -1}, {"multiplier": 0.5}])
def test_retry_policy_rejects_nonsense(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="RetryPolicy"):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


def test_subscriber_names_are_checked() -> None:
    assert Reactor("notify.mails", _noop).name == "notify.mails"
    with pytest.raises(ValueError, match="'Reporting Cases'"):
        Projection("Reporting Cases", _noop)
    with pytest.raises(ValueError, match="batch_size"):
        Projection("reporting", _noop, batch_size=0)


def test_every_migration_file_exists_and_each_creates_one_object() -> None:
    folder = resources.files("klachtspoor.subscriptions").joinpath("sql")
    on_disk = sorted(p.name for p in folder.iterdir() if p.name.endswith(".sql"))
    assert sorted(MIGRATIONS) == on_disk
    assert list(MIGRATIONS) == sorted(MIGRATIONS)
    for name in MIGRATIONS:
        sql = folder.joinpath(name).read_text().upper()
        assert sql.count("CREATE ") == 1, name


async def test_feed_hands_out_what_has_arrived_in_batches_and_then_waits() -> None:
    store = InMemoryEventStore()
    for i in range(7):
        await store.append("case:t1:a", [NewEvent(uuid4(), "X", "t1", {"i": i})], StreamState.ANY)
    async with Feed(store, after=START, filter=None) as feed:
        await asyncio.sleep(0)  # let the reader queue what is there
        first = await feed.next_batch(5, max_wait=1)
        second = await feed.next_batch(5, max_wait=1)
        assert [e.data["i"] for e in first + second] == list(range(7))
        assert len(first) == 5
        stop = asyncio.Event()
        stop.set()
        assert await feed.next_batch(5, max_wait=30, interrupt=stop) == []


class BrokenAfterTwo(InMemoryEventStore):
    """Yields two events, then fails like a store whose connection dropped."""

    async def subscribe(  # type: ignore[override]
        self, *, after: Position = START, filter: LogFilter | None = None, batch_size: int = 500
    ) -> AsyncIterator[RecordedEvent]:
        for event in (await self.read_all(after=after, filter=filter))[:2]:
            yield event
        raise StoreUnavailable("connection to the event store lost (server closed the connection)")


async def test_a_lingering_batch_takes_the_events_that_follow_its_first_and_no_more() -> None:
    store = InMemoryEventStore()

    async def append(i: int) -> None:
        await store.append("case:t1:a", [NewEvent(uuid4(), "X", "t1", {"i": i})], StreamState.ANY)

    async def later() -> None:
        for i in (1, 2, 3):
            await asyncio.sleep(0.01)
            await append(i)

    await append(0)
    async with Feed(store, after=START, filter=None) as feed:
        await asyncio.sleep(0)
        writer = asyncio.create_task(later())
        lingered = await feed.next_batch(10, max_wait=1, linger=2.0)
        await writer
        assert [e.data["i"] for e in lingered] == [0, 1, 2, 3]  # the first, and what came after it
        await append(4)
        await append(5)
        # a batch that is full at once does not linger (a hang here would hit the guard, not pass)
        full = await asyncio.wait_for(feed.next_batch(2, max_wait=1, linger=600.0), timeout=60)
        assert [e.data["i"] for e in full] == [4, 5]


async def test_feed_raises_the_subscription_error_after_the_events_before_it() -> None:
    store = BrokenAfterTwo()
    for _ in range(3):
        await store.append("case:t1:a", [NewEvent(uuid4(), "X", "t1", {})], StreamState.ANY)
    async with Feed(store, after=START, filter=None) as feed:
        await asyncio.sleep(0)
        assert len(await feed.next_batch(10, max_wait=1)) == 2
        with pytest.raises(StoreUnavailable, match="connection to the event store lost"):
            await feed.next_batch(10, max_wait=5)
