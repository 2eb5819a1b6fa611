"""The ``store`` fixture: every conformance test runs against each adapter in ADAPTERS.

Adapter-specific set-up lives here (and in eventstore_harness.py) only; the tests use the port. The
parameter sits on a synchronous fixture because only a synchronous one may pull in an asynchronous
fixture (``database_url``) for just the adapters that need it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from eventstore_harness import Adapter, MemorySlowWriter, SlowWriter, open_postgres_writer

from klachtspoor.eventstore.esdb import EsdbEventStore
from klachtspoor.eventstore.memory import InMemoryEventStore
from klachtspoor.eventstore.port import EventStore
from klachtspoor.eventstore.postgres import PostgresEventStore
from tests.esdb_server import RunningServer, start_server

ADAPTERS = ["memory", "postgres", "esdb"]


@dataclass(frozen=True)
class Backend:
    name: str
    url: str | None = None


@pytest.fixture(params=ADAPTERS)
def backend(request: pytest.FixtureRequest) -> Backend:
    match request.param:
        case "memory":
            return Backend("memory")
        case "postgres":
            return Backend("postgres", request.getfixturevalue("database_url"))
        case "esdb":
            return Backend("esdb")
        case other:
            raise ValueError(f"no fixture for adapter {other!r}")


@pytest.fixture
async def adapter(backend: Backend) -> AsyncIterator[Adapter]:
    made: Adapter
    server: RunningServer | None = None
    match backend.name:
        case "memory":
            memory = InMemoryEventStore()

            async def memory_writer() -> SlowWriter:
                return MemorySlowWriter(memory)

            made = Adapter(memory, memory_writer)
        case "postgres":
            assert backend.url is not None
            url = backend.url
            postgres = await PostgresEventStore.connect(url, pool_size=12, poll_interval=0.2)
            made = Adapter(postgres, lambda: open_postgres_writer(url, postgres))
        case "esdb":
            # A fresh in-process test server per test: the tests expect an empty store.
            server = await start_server()
            esdb = await EsdbEventStore.connect(server.url)

            # EventStoreDB has no transactions to hold open: as in memory, a rolled-back append never happens.
            async def esdb_writer() -> SlowWriter:
                return MemorySlowWriter(esdb)  # type: ignore[arg-type]

            made = Adapter(esdb, esdb_writer)
        case other:
            raise ValueError(f"no fixture for adapter {other!r}")
    yield made
    await made.store.close()
    if server is not None:
        await server.stop()


@pytest.fixture
def store(adapter: Adapter) -> EventStore:
    return adapter.store
