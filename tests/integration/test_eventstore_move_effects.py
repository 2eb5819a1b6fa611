"""After moving house nothing happens twice: with every checkpoint forgotten, a reactor and the relay
read the new store from its beginning, and every event they handled in the old store (the same event
ids) is a no-op the second time: the reactor's ledger skips it, JetStream drops it as a duplicate
(Nats-Msg-Id = event id). Only an event appended after the move has an effect."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

import asyncpg
from faststream.nats import NatsBroker
from moving_helpers import esdb_server, read_log, seed, settled, source, target
from nats.js import JetStreamContext

from klachtspoor.eventstore.esdb import EsdbEventStore
from klachtspoor.eventstore.port import NewEvent, RecordedEvent, StreamState
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.integrity.store import ChainedEventStore
from klachtspoor.moving import copy_store
from klachtspoor.moving.checkpoints import forget_checkpoints
from klachtspoor.relay import STREAM_NAME, Relay, tenant_subjects
from klachtspoor.subscriptions import Reactor, SubscriptionRunner
from tests.nats_fixtures import broker, js, tenant

__all__ = ["broker", "esdb_server", "js", "source", "target", "tenant"]  # fixtures


async def _after_the_move(
    source: PostgresEventStore, target: EsdbEventStore, database_url: str, stream: str, tenant: str
) -> tuple[list[RecordedEvent], NewEvent]:
    """Copy, forget the old positions, and append one event to the new store as a service would."""
    await copy_store(source, target)
    [forgotten] = await forget_checkpoints([database_url])
    assert forgotten.checkpoints, "nothing had a checkpoint to forget"
    conn = await asyncpg.connect(database_url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM subscriptions.checkpoints") == 0
    finally:
        await conn.close()
    new = NewEvent(uuid.uuid4(), "NotitieToegevoegd", tenant, {"n": "na de verhuizing"})
    await ChainedEventStore(target).append(stream, [new], StreamState.EXISTS)
    return await read_log(target), new


async def _run_until(runner: SubscriptionRunner | Relay, last: RecordedEvent) -> None:
    task = asyncio.create_task(runner.run())
    await asyncio.wait_for(runner.wait_until(last.position), 30)
    runner.stop()
    await task


async def test_a_reactor_that_handled_the_old_store_acts_only_on_what_was_appended_after_the_move(
    source: PostgresEventStore, target: EsdbEventStore, database_url: str, tenant: str
) -> None:
    streams = await seed(source, 60, streams_per_tenant=4, tenants=(tenant,))
    old = await settled(source, 60)
    effects: list[uuid.UUID] = []

    async def send_letter(event: RecordedEvent) -> None:
        effects.append(event.event_id)

    reactor = Reactor("letters", send_letter)
    await _run_until(SubscriptionRunner(source, database_url, reactor, read_batch=16), old[-1])
    assert effects == [e.event_id for e in old]

    moved, new = await _after_the_move(source, target, database_url, streams[0], tenant)
    await _run_until(SubscriptionRunner(target, database_url, reactor, read_batch=16), moved[-1])
    assert effects == [*(e.event_id for e in old), new.event_id]
    conn = await asyncpg.connect(database_url)
    try:
        ledger = await conn.fetchval("SELECT count(*) FROM subscriptions.ledger WHERE subscriber = 'letters'")
    finally:
        await conn.close()
    assert ledger == 61


async def test_the_relay_from_the_new_stores_beginning_publishes_only_what_was_appended_after_the_move(
    source: PostgresEventStore,
    target: EsdbEventStore,
    database_url: str,
    broker: NatsBroker,
    js: JetStreamContext,
    tenant: str,
) -> None:
    streams = await seed(source, 50, streams_per_tenant=5, tenants=(tenant,))
    old = await settled(source, 50)
    before = Relay(ChainedEventStore(source), database_url, broker, batch_size=16)
    await _run_until(before, old[-1])
    assert (before.published, before.duplicates) == (50, 0)

    moved, new = await _after_the_move(source, target, database_url, streams[0], tenant)
    after = Relay(ChainedEventStore(target), database_url, broker, batch_size=16)
    await _run_until(after, moved[-1])
    assert (after.published, after.duplicates) == (1, 50)

    received = await _messages(js, tenant, 51)
    assert received == Counter([*(e.event_id for e in old), new.event_id])


async def _messages(js: JetStreamContext, tenant: str, expected: int) -> Counter[uuid.UUID]:
    """The Nats-Msg-Id of every message of the tenant in the stream, and that nothing else is there."""
    sub = await js.pull_subscribe(tenant_subjects(tenant), stream=STREAM_NAME)
    ids: Counter[uuid.UUID] = Counter()
    try:
        while sum(ids.values()) < expected:
            for msg in await sub.fetch(min(100, expected - sum(ids.values())), timeout=5):
                await msg.ack()
                ids[uuid.UUID(msg.headers["Nats-Msg-Id"] if msg.headers else "")] += 1
        assert (await sub.consumer_info()).num_pending == 0
    finally:
        await sub.unsubscribe()
    return ids
