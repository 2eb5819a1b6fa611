"""Subscription runner against a real PostgreSQL: checkpoints, batches, parking, ledger, restarts."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from uuid import UUID

import asyncpg
import pytest
from click.testing import Result
from subscription_helpers import append_events, count_event, counts, running
from subscription_helpers import conn as conn  # the fixture
from typer.testing import CliRunner

from klachtspoor.cli.main import app
from klachtspoor.eventstore.errors import StoreUnavailable
from klachtspoor.eventstore.port import START, EventStore, Position, RecordedEvent
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.settings import get_settings
from klachtspoor.subscriptions import (
    Projection,
    Reactor,
    RetryOutcome,
    RetryPolicy,
    SubscriptionRunner,
    apply_schema,
    discard_parked,
    list_parked,
    load_checkpoint,
    retry_parked,
    save_checkpoint,
)

FAST = RetryPolicy(attempts=2, backoff=0.01)


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[EventStore]:
    events = await PostgresEventStore.connect(database_url)
    yield events
    await events.close()


async def test_schema_is_applied_once_and_recorded(conn: asyncpg.Connection) -> None:
    assert await apply_schema(conn) == []
    names = await conn.fetch("SELECT name FROM subscriptions.applied_migrations ORDER BY name")
    assert [r["name"] for r in names][-1] == "006_parked_retry_requested_index.sql"


async def test_projection_batches_commit_writes_with_checkpoint(
    store: EventStore, database_url: str, conn: asyncpg.Connection
) -> None:
    committed: list[int] = []

    async def handle(c: asyncpg.Connection, event: RecordedEvent) -> None:
        # What other connections see: rows appear batch by batch, never one event at a time.
        committed.append(await conn.fetchval("SELECT count(*) FROM counts"))
        await count_event(c, event)

    events = await append_events(store, 50)
    runner = SubscriptionRunner(store, database_url, Projection("proj.batch", handle, batch_size=20))
    async with running(runner):
        await asyncio.wait_for(runner.wait_until(events[-1].position), 30)
    assert await counts(conn) == {e.event_id: 1 for e in events}
    assert await load_checkpoint(conn, "proj.batch") == events[-1].position
    transactions = sorted(set(committed))
    assert transactions[0] == 0
    assert all(0 < b - a <= 20 for a, b in itertools.pairwise(transactions))
    assert len(transactions) < 10, f"events were not batched: {transactions}"


async def test_failing_handler_leaves_no_write_and_no_checkpoint_move_then_parks(
    store: EventStore, database_url: str, conn: asyncpg.Connection
) -> None:
    events = await append_events(store, 10)
    poison = events[4]
    observed: list[tuple[Position, int]] = []

    async def handle(c: asyncpg.Connection, event: RecordedEvent) -> None:
        if event.event_id == poison.event_id:
            # Between attempts, another connection sees neither the failed write nor a moved checkpoint.
            observed.append(
                (await load_checkpoint(conn, "proj.poison"), await _count_of(conn, event.event_id))
            )
        await count_event(c, event)
        if event.event_id == poison.event_id:
            raise ValueError(f"cannot project {event.event_id}")

    runner = SubscriptionRunner(
        store, database_url, Projection("proj.poison", handle, batch_size=10), retry=FAST
    )
    async with running(runner):
        await asyncio.wait_for(runner.wait_until(events[-1].position), 30)

    # Whole batch rolled back, then one by one: 4 good events, 2 attempts on the poison one.
    assert observed[-2:] == [(events[3].position, 0), (events[3].position, 0)]
    assert await counts(conn) == {e.event_id: 1 for e in events if e is not poison}
    assert await load_checkpoint(conn, "proj.poison") == events[-1].position
    [parked] = await list_parked(conn, "proj.poison")
    assert (parked.event_id, parked.position, parked.stream, parked.type) == (
        poison.event_id,
        poison.position,
        poison.stream,
        poison.type,
    )
    assert parked.attempts == 2
    assert parked.error_type == "ValueError"
    assert str(poison.event_id) in parked.error


async def test_parked_events_retry_and_discard(
    store: EventStore, database_url: str, conn: asyncpg.Connection
) -> None:
    events = await append_events(store, 6)
    broken = {events[1].event_id, events[3].event_id}

    async def handle(c: asyncpg.Connection, event: RecordedEvent) -> None:
        if event.event_id in broken:
            raise RuntimeError("read model not ready")
        await count_event(c, event)

    projection = Projection("proj.retry", handle)
    runner = SubscriptionRunner(store, database_url, projection, retry=FAST)
    async with running(runner):
        await asyncio.wait_for(runner.wait_until(events[-1].position), 30)
    assert [p.event_id for p in await list_parked(conn, "proj.retry")] == [
        events[1].event_id,
        events[3].event_id,
    ]

    failed = await retry_parked(conn, store, projection, events[1].event_id)
    assert failed.outcome is RetryOutcome.FAILED
    assert failed.parked is not None and failed.parked.attempts == 3

    broken.clear()
    result = await retry_parked(conn, store, projection, events[1].event_id)
    assert result.outcome is RetryOutcome.SUCCEEDED
    assert await _count_of(conn, events[1].event_id) == 1
    ledger = await conn.fetch("SELECT event_id FROM subscriptions.ledger WHERE subscriber = 'proj.retry'")
    assert [r["event_id"] for r in ledger] == [events[1].event_id]

    discarded = await discard_parked(conn, "proj.retry", events[3].event_id)
    assert discarded.event_id == events[3].event_id
    assert await list_parked(conn, "proj.retry") == []
    assert await _count_of(conn, events[3].event_id) == 0


async def test_reactor_skips_events_already_in_its_ledger(
    store: EventStore, database_url: str, conn: asyncpg.Connection
) -> None:
    effects: list[UUID] = []

    async def handle(event: RecordedEvent) -> None:
        effects.append(event.event_id)

    events = await append_events(store, 8)
    reactor = Reactor("mailer", handle)
    runner = SubscriptionRunner(store, database_url, reactor)
    async with running(runner):
        await asyncio.wait_for(runner.wait_until(events[-1].position), 30)
    assert effects == [e.event_id for e in events]

    # Redelivery: the checkpoint goes back (as after a restore); the ledger keeps the effects single.
    await save_checkpoint(conn, "mailer", events[2].position)
    more = await append_events(store, 2)
    runner = SubscriptionRunner(store, database_url, reactor)
    async with running(runner):
        await asyncio.wait_for(runner.wait_until(more[-1].position), 30)
    assert effects == [e.event_id for e in events + more]


async def test_reactor_parks_poison_event_and_continues(
    store: EventStore, database_url: str, conn: asyncpg.Connection
) -> None:
    effects: list[UUID] = []
    events = await append_events(store, 5)

    async def handle(event: RecordedEvent) -> None:
        if event.event_id == events[0].event_id:
            raise ValueError("template broken")
        effects.append(event.event_id)

    runner = SubscriptionRunner(store, database_url, Reactor("mailer.poison", handle), retry=FAST)
    async with running(runner):
        await asyncio.wait_for(runner.wait_until(events[-1].position), 30)
    assert effects == [e.event_id for e in events[1:]]
    [parked] = await list_parked(conn, "mailer.poison")
    assert (parked.event_id, parked.error_type, parked.attempts) == (events[0].event_id, "ValueError", 2)


async def test_an_outage_outlasting_the_attempts_is_waited_out_not_parked(
    store: EventStore, database_url: str, conn: asyncpg.Connection
) -> None:
    """Five times the retry budget of failures that are the infrastructure's (SMTP, the store): the
    event is handled once the outage ends, and nothing is parked."""
    effects: list[UUID] = []
    failures = itertools.count(1)
    events = await append_events(store, 3)

    async def handle(event: RecordedEvent) -> None:
        if event.event_id == events[0].event_id and next(failures) <= 5 * FAST.attempts:
            raise ConnectionRefusedError("smtp down")
        effects.append(event.event_id)

    runner = SubscriptionRunner(store, database_url, Reactor("mailer.outage", handle), retry=FAST)
    async with running(runner):
        await asyncio.wait_for(runner.wait_until(events[-1].position), 30)
    assert effects == [e.event_id for e in events]
    assert await list_parked(conn, "mailer.outage") == []


async def test_a_stop_during_an_outage_ends_the_projection_promptly_and_commits_nothing(
    store: EventStore, database_url: str, conn: asyncpg.Connection
) -> None:
    """An outage is retried for as long as it lasts, so the batch in hand never finishes: a stop cancels
    it after a second's grace instead of waiting it out; its transaction rolls back (no row, no
    checkpoint) and the next run handles the events once."""
    events = await append_events(store, 3)
    outage = asyncio.Event()
    outage.set()
    tried = asyncio.Event()

    async def handle(c: asyncpg.Connection, event: RecordedEvent) -> None:
        await count_event(c, event)
        if outage.is_set():
            tried.set()
            raise StoreUnavailable("the event store went away (test)")

    projection = Projection("proj.stopped-outage", handle, batch_size=10)
    runner = SubscriptionRunner(store, database_url, projection, retry=FAST)
    task = asyncio.create_task(runner.run())
    await asyncio.wait_for(tried.wait(), 30)
    runner.stop()
    await asyncio.wait_for(task, 30)  # without the grace: as long as the outage lasts (here: for ever)

    assert await load_checkpoint(conn, "proj.stopped-outage") == START
    assert await counts(conn) == {}
    outage.clear()
    again = SubscriptionRunner(store, database_url, projection, retry=FAST)
    async with running(again):
        await asyncio.wait_for(again.wait_until(events[-1].position), 30)
    assert await counts(conn) == {e.event_id: 1 for e in events}


async def test_restart_resumes_from_checkpoint(
    store: EventStore, database_url: str, conn: asyncpg.Connection
) -> None:
    seen: list[UUID] = []

    async def handle(c: asyncpg.Connection, event: RecordedEvent) -> None:
        seen.append(event.event_id)
        await count_event(c, event)

    projection = Projection("proj.restart", handle, batch_size=7)
    first = await append_events(store, 15)
    runner = SubscriptionRunner(store, database_url, projection)
    async with running(runner):
        await asyncio.wait_for(runner.wait_until(first[-1].position), 30)
    second = await append_events(store, 15)
    seen.clear()
    runner = SubscriptionRunner(store, database_url, projection)
    assert runner.checkpoint == START
    async with running(runner):
        await asyncio.wait_for(runner.wait_until(second[-1].position), 30)
    assert seen == [e.event_id for e in second]
    assert await counts(conn) == {e.event_id: 1 for e in first + second}


async def test_cancel_mid_transaction_rolls_back(
    store: EventStore, database_url: str, conn: asyncpg.Connection
) -> None:
    events = await append_events(store, 3)
    inside = asyncio.Event()

    async def handle(c: asyncpg.Connection, event: RecordedEvent) -> None:
        await count_event(c, event)
        if event.event_id == events[2].event_id:
            inside.set()
            await asyncio.Event().wait()  # stuck until cancelled

    runner = SubscriptionRunner(store, database_url, Projection("proj.cancel", handle, batch_size=1))
    task = asyncio.create_task(runner.run())
    await asyncio.wait_for(inside.wait(), 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await counts(conn) == {events[0].event_id: 1, events[1].event_id: 1}
    assert await load_checkpoint(conn, "proj.cancel") == events[1].position


async def _count_of(conn: asyncpg.Connection, event_id: UUID) -> int:
    return int(await conn.fetchval("SELECT coalesce(max(n), 0) FROM counts WHERE event_id = $1", event_id))


async def test_parked_cli_lists_retries_through_the_running_subscriber_and_discards(
    store: EventStore, database_url: str, conn: asyncpg.Connection
) -> None:
    events = await append_events(store, 5)
    broken = {events[0].event_id, events[2].event_id}

    async def handle(c: asyncpg.Connection, event: RecordedEvent) -> None:
        if event.event_id in broken:
            raise KeyError(f"no case for {event.stream}")
        await count_event(c, event)

    runner = SubscriptionRunner(
        store, database_url, Projection("proj.cli", handle), retry=FAST, retry_poll_interval=0.05
    )
    async with running(runner):
        await asyncio.wait_for(runner.wait_until(events[-1].position), 30)

        listed = await _cli(database_url, "parked", "list", "--subscriber", "proj.cli")
        assert listed.exit_code == 0, listed.output
        assert str(events[0].event_id) in listed.output and str(events[2].event_id) in listed.output
        assert "KeyError" in listed.output

        failed = await _cli(database_url, "parked", "retry", str(events[0].event_id), "-s", "proj.cli")
        assert failed.exit_code == 1, failed.output
        assert "still parked" in failed.output

        broken.discard(events[0].event_id)
        retried = await _cli(database_url, "parked", "retry", str(events[0].event_id), "-s", "proj.cli")
        assert retried.exit_code == 0, retried.output
        assert await _count_of(conn, events[0].event_id) == 1

        discarded = await _cli(database_url, "parked", "discard", str(events[2].event_id), "-s", "proj.cli")
        assert discarded.exit_code == 0, discarded.output

    missing = await _cli(database_url, "parked", "discard", str(events[2].event_id), "-s", "proj.cli")
    assert missing.exit_code == 1
    assert "No parked event" in missing.output
    empty = await _cli(database_url, "parked", "list")
    assert "No parked events" in empty.output
    assert await list_parked(conn) == []


async def _cli(database_url: str, *args: str) -> Result:
    """Invoke the CLI in a thread (it runs its own event loop) while this loop keeps the subscriber going."""

    def invoke() -> Result:
        get_settings.cache_clear()
        try:
            return CliRunner().invoke(
                app, list(args), env={"KLACHTSPOOR_DATABASE_URL": database_url, "COLUMNS": "250"}
            )
        finally:
            get_settings.cache_clear()

    return await asyncio.to_thread(invoke)
