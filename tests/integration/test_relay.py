"""Relay against real PostgreSQL and NATS JetStream: exactly-once arrival, crashes, a SIGKILLed process
(on PostgreSQL's event store and on EventStoreDB)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from uuid import UUID, uuid4

import asyncpg
import nats
import nats.errors
import pytest
from faststream.nats import NatsBroker
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from subscription_helpers import append_events

from klachtspoor.bootstrap import open_event_store
from klachtspoor.eventstore.port import EventStore, NewEvent, Position, RecordedEvent, StreamState
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.relay import STREAM_NAME, Relay, RelayedEvent, tenant_subjects
from klachtspoor.relay import relay as relay_module
from klachtspoor.settings import Settings
from klachtspoor.subscriptions import load_checkpoint
from tests.nats_fixtures import broker, js, tenant

__all__ = ["broker", "js", "tenant"]  # fixtures

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[EventStore]:
    events = await PostgresEventStore.connect(database_url)
    yield events
    await events.close()


@pytest.fixture(params=["postgres", "esdb"])
def relay_environment(request: pytest.FixtureRequest, database_url: str, nats_url: str) -> dict[str, str]:
    """What a relay process reads: its checkpoint database and NATS, and for EventStoreDB the shared test
    server (or ``KLACHTSPOOR_TEST_ESDB_URL``) in a namespace of the test's own."""
    env = {"KLACHTSPOOR_DATABASE_URL": database_url, "KLACHTSPOOR_NATS_URL": nats_url}
    if request.param == "esdb":
        env["KLACHTSPOOR_EVENTSTORE_URL"] = request.getfixturevalue("esdb_url")
        env["KLACHTSPOOR_EVENTSTORE_NAMESPACE"] = request.getfixturevalue("esdb_namespace")
    return env


@pytest.fixture
async def relayed_store(relay_environment: dict[str, str]) -> AsyncIterator[EventStore]:
    """The event store the relay process of ``relay_environment`` reads."""
    settings = Settings(
        database_url=relay_environment["KLACHTSPOOR_DATABASE_URL"],
        eventstore_url=relay_environment.get("KLACHTSPOOR_EVENTSTORE_URL", ""),
        eventstore_namespace=relay_environment.get("KLACHTSPOOR_EVENTSTORE_NAMESPACE", ""),
    )
    events = await open_event_store(settings, pool_size=4)
    yield events
    await events.close()


async def consume(
    js: JetStreamContext, tenant: str, expected: int, within: float = 30
) -> tuple[list[Msg], int]:
    """Every message of the tenant (until ``expected`` arrived or ``within`` s passed), and what is left."""
    sub = await js.pull_subscribe(tenant_subjects(tenant), stream=STREAM_NAME)
    received: list[Msg] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while len(received) < expected and loop.time() < deadline:
        try:
            batch = await sub.fetch(min(200, expected - len(received)), timeout=1)
        except nats.errors.TimeoutError:
            continue
        for msg in batch:
            await msg.ack()
            received.append(msg)
    pending = (await sub.consumer_info()).num_pending
    await sub.unsubscribe()
    return received, pending


def ids_of(messages: list[Msg]) -> Counter[UUID]:
    return Counter(UUID(m.headers["Nats-Msg-Id"]) for m in messages if m.headers)


async def test_every_event_reaches_the_consumer_once_with_subject_headers_and_body(
    store: EventStore, database_url: str, broker: NatsBroker, js: JetStreamContext, tenant: str
) -> None:
    traced = NewEvent(
        uuid4(), "KlachtIngediend", tenant, {"naam": "enc:v1:abc"}, {"traceparent": TRACEPARENT}
    )
    await store.append(f"case:{tenant}:traced", [traced], StreamState.NO_STREAM)
    events = [*(await append_events(store, 60, tenant=tenant)), await _one(store, f"case:{tenant}:traced", 0)]
    events.sort(key=lambda e: e.position)

    relay = Relay(store, database_url, broker, batch_size=16)
    task = asyncio.create_task(relay.run())
    await asyncio.wait_for(relay.wait_until(events[-1].position), 30)
    relay.stop()
    await task

    messages, pending = await consume(js, tenant, len(events))
    assert pending == 0
    assert ids_of(messages) == Counter(e.event_id for e in events)
    by_id = {e.event_id: e for e in events}
    for msg in messages:
        event = by_id[UUID(msg.headers["Nats-Msg-Id"]) if msg.headers else uuid4()]
        assert msg.subject == f"klachtspoor.{tenant}.{event.type}"
        assert RelayedEvent.model_validate_json(msg.data) == RelayedEvent.of(event)
        assert msg.headers is not None
        # The same trace: the relay's own span (if this process records any) may stand in as the parent.
        header = msg.headers.get("traceparent")
        assert (header.split("-")[1] if header else None) == (
            TRACEPARENT.split("-")[1] if event.event_id == traced.event_id else None
        )
    assert (relay.published, relay.duplicates) == (len(events), 0)


async def test_republishing_after_a_crash_before_the_checkpoint_duplicates_nothing(
    store: EventStore,
    database_url: str,
    broker: NatsBroker,
    js: JetStreamContext,
    tenant: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    events = await append_events(store, 40, tenant=tenant)
    real_save = relay_module.save_checkpoint
    saves = 0

    async def crash_on_second_save(conn: asyncpg.Connection, name: str, position: Position) -> None:
        nonlocal saves
        saves += 1
        if saves == 2:
            raise ConnectionResetError("process died between the acks and the checkpoint")
        await real_save(conn, name, position)

    monkeypatch.setattr(relay_module, "save_checkpoint", crash_on_second_save)
    crashed = Relay(store, database_url, broker, batch_size=10)
    with pytest.raises(ConnectionResetError):
        await asyncio.wait_for(crashed.run(), 20)
    assert (crashed.published, crashed.duplicates) == (20, 0)

    monkeypatch.setattr(relay_module, "save_checkpoint", real_save)
    restarted = Relay(store, database_url, broker, batch_size=10)
    task = asyncio.create_task(restarted.run())
    await asyncio.wait_for(restarted.wait_until(events[-1].position), 30)
    restarted.stop()
    await task
    # The second batch went out again; JetStream recognised every message of it.
    assert (restarted.published, restarted.duplicates) == (20, 10)

    messages, pending = await consume(js, tenant, len(events))
    assert pending == 0
    assert ids_of(messages) == Counter(e.event_id for e in events)


async def test_relay_process_killed_mid_stream_loses_and_duplicates_nothing(
    relayed_store: EventStore,
    relay_environment: dict[str, str],
    database_url: str,
    js: JetStreamContext,
    tenant: str,
) -> None:
    store = relayed_store
    env = {**os.environ, **relay_environment}
    command = [str(Path(sys.executable).with_name("klachtspoor")), "relay", "run", "--batch-size", "20"]
    appended: list[RecordedEvent] = []
    stop_writing = asyncio.Event()

    async def write() -> None:
        """Appends all through the kill and the restart, until told to stop."""
        i = 0
        while not stop_writing.is_set():
            event = NewEvent(uuid4(), "SignaalOntvangen", tenant, {"n": i})
            result = await store.append(f"case:{tenant}:c{i % 7}", [event], StreamState.ANY)
            appended.append(await _one(store, f"case:{tenant}:c{i % 7}", result.version))
            i += 1
            await asyncio.sleep(0.002)

    writer = asyncio.create_task(write())
    first = await asyncio.create_subprocess_exec(*command, env=env, stderr=None)
    second: asyncio.subprocess.Process | None = None
    conn = await asyncpg.connect(database_url)
    try:
        await _until(lambda: _relay_checkpoint_moved(conn), within=30)
        first.send_signal(signal.SIGKILL)
        assert await first.wait() == -signal.SIGKILL
        killed_at = await load_checkpoint(conn, "relay")

        second = await asyncio.create_subprocess_exec(*command, env=env, stderr=None)
        await _until(lambda: _relay_past(conn, killed_at), within=30)
        stop_writing.set()
        await writer
        await _until(lambda: _relay_past(conn, appended[-1].position, inclusive=True), within=30)
        second.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(second.wait(), 30) == 0
    finally:
        await conn.close()
        writer.cancel()
        for process in (first, second):
            if process is not None and process.returncode is None:
                process.kill()
                await process.wait()

    assert killed_at < appended[-1].position
    messages, pending = await consume(js, tenant, len(appended))
    assert pending == 0
    assert ids_of(messages) == Counter(e.event_id for e in appended)


async def _relay_checkpoint_moved(conn: asyncpg.Connection) -> bool:
    exists = await conn.fetchval("SELECT to_regclass('subscriptions.checkpoints') IS NOT NULL")
    return bool(exists) and bool(
        await conn.fetchval("SELECT count(*) FROM subscriptions.checkpoints WHERE subscriber = 'relay'")
    )


async def _relay_past(conn: asyncpg.Connection, position: Position, *, inclusive: bool = False) -> bool:
    checkpoint = await load_checkpoint(conn, "relay")
    return checkpoint >= position if inclusive else checkpoint > position


async def _one(store: EventStore, stream: str, version: int) -> RecordedEvent:
    [event] = await store.read_stream(stream, from_version=version, limit=1)
    return event


async def _until(condition: Callable[[], Awaitable[bool]], *, within: float) -> None:
    """Poll an async condition until it holds; fail the test after ``within`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await condition():
        if loop.time() > deadline:
            pytest.fail(f"condition {condition} did not hold within {within} s")
        await asyncio.sleep(0.05)
