"""Shared by the moving tests: a PostgreSQL event store with a few hundred chained events across many
streams and tenants, an EventStoreDB test server of the test's own, and comparing the two."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from klachtspoor.eventstore.esdb import EsdbEventStore
from klachtspoor.eventstore.port import START, EventStore, NewEvent, RecordedEvent, StreamState
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.integrity.store import ChainedEventStore
from tests.esdb_server import RunningServer, start_server

TENANTS = ("jeugdzorg-noord", "jeugdzorg-zuid", "akj-oost")
KLACHTSPOOR = str(Path(sys.executable).with_name("klachtspoor"))
TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


async def seed(
    store: EventStore, events: int, *, streams_per_tenant: int = 12, tenants: tuple[str, ...] = TENANTS
) -> list[str]:
    """``events`` events through the hash chain, interleaved over tenants and streams (every fifth append
    two events at once), with data and metadata as the services write them; the streams, in order."""
    chained = ChainedEventStore(store)
    streams = [f"case:{t}:c{n:02d}" for n in range(streams_per_tenant) for t in tenants]
    written = 0
    while written < events:
        stream = streams[written % len(streams)]
        tenant = stream.split(":")[1]
        count = 2 if written % 5 == 4 and written + 1 < events else 1
        batch = [
            NewEvent(
                uuid.uuid4(),
                "SignaalOntvangen" if written == 0 else "NotitieToegevoegd",
                tenant,
                {"n": written + i, "tekst": "enc:v1:QUJD", "omschrijving": "één klacht"},
                {"traceparent": TRACEPARENT, "correlation_id": str(uuid.uuid4())},
                schema_version=1 + (written + i) % 2,
            )
            for i in range(count)
        ]
        await chained.append(stream, batch, StreamState.ANY)
        written += count
    return streams


async def settled(store: EventStore, count: int) -> list[RecordedEvent]:
    """The whole global log once it shows ``count`` events: PostgreSQL holds back events behind any
    transaction still open in the cluster (other tests' too)."""
    async with asyncio.timeout(30):
        while True:
            found = await read_log(store)
            if len(found) >= count:
                return found
            await asyncio.sleep(0.05)


async def read_log(store: EventStore) -> list[RecordedEvent]:
    found: list[RecordedEvent] = []
    while page := await store.read_all(after=found[-1].position if found else START, limit=1000):
        found.extend(page)
    return found


def stored(event: RecordedEvent) -> tuple[object, ...]:
    """Everything stored about an event except its global position (the store's own)."""
    return (
        event.stream,
        event.version,
        event.event_id,
        event.type,
        event.tenant,
        event.schema_version,
        dict(event.data),
        dict(event.metadata),
        event.recorded_at,
    )


@pytest.fixture
async def source(database_url: str) -> AsyncIterator[PostgresEventStore]:
    store = await PostgresEventStore.connect(database_url, notify=False, pool_size=4)
    yield store
    await store.close()


@pytest.fixture
async def esdb_server() -> AsyncIterator[RunningServer]:
    """A server of the test's own: its log can be looked at and faults injected into it."""
    running = await start_server()
    yield running
    await running.stop()


@pytest.fixture
async def target(esdb_server: RunningServer) -> AsyncIterator[EsdbEventStore]:
    store = await EsdbEventStore.connect(esdb_server.url, namespace="moved")
    yield store
    await store.close()


def environment(database_url: str, **more: str) -> dict[str, str]:
    return {
        **os.environ,
        "KLACHTSPOOR_DATABASE_URL": database_url,
        "KLACHTSPOOR_EVENTSTORE_URL": "",
        "KLACHTSPOOR_EVENTSTORE_NAMESPACE": "",
        "COLUMNS": "300",  # one line per message
        **more,
    }


async def run(command: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        *command, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()
