"""The ``store`` fixture: every conformance test runs against each adapter in ADAPTERS.

Adapter-specific set-up lives here (and in eventstore_harness.py) only; the tests use the port. The
parameter sits on a synchronous fixture because only a synchronous one may pull in an asynchronous
fixture (``database_url``, ``esdb_url``) for just the adapters that need it. EventStoreDB tests share
one server (a real one when ``KLACHTSPOOR_TEST_ESDB_URL`` is set) and each works in a namespace of its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from backends import ADAPTERS, Backend, backend_of
from eventstore_harness import Adapter, MemorySlowWriter, SlowWriter, open_postgres_writer

from klachtspoor.eventstore.esdb import EsdbEventStore
from klachtspoor.eventstore.memory import InMemoryEventStore
from klachtspoor.eventstore.port import EventStore
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.integrity.store import ChainedEventStore
from tests.esdb_server import RunningServer, start_server


@pytest.fixture(params=ADAPTERS)
def backend(request: pytest.FixtureRequest) -> Backend:
    return backend_of(request)


@pytest.fixture
async def adapter(backend: Backend) -> AsyncIterator[Adapter]:
    if backend.name.startswith("chained-"):
        inner = await _open_adapter(
            Backend(backend.name.removeprefix("chained-"), backend.url, backend.namespace)
        )
        chained = ChainedEventStore(inner.store)

        # The chained store appends in transactions of its own: as in memory, a rolled-back append never
        # happens, and the writer goes through the chain like every other writer.
        async def chained_writer() -> SlowWriter:
            return MemorySlowWriter(chained)  # type: ignore[arg-type]

        made = Adapter(chained, chained_writer)
    else:
        made = await _open_adapter(backend)
    yield made
    await made.store.close()


async def _open_adapter(backend: Backend) -> Adapter:
    made: Adapter
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
            # A namespace per test on one shared server: each test sees an empty store.
            assert backend.url is not None
            esdb = await EsdbEventStore.connect(backend.url, namespace=backend.namespace)

            # EventStoreDB has no transactions to hold open: as in memory, a rolled-back append never happens.
            async def esdb_writer() -> SlowWriter:
                return MemorySlowWriter(esdb)  # type: ignore[arg-type]

            made = Adapter(esdb, esdb_writer)
        case other:
            raise ValueError(f"no fixture for adapter {other!r}")
    return made


@pytest.fixture
def store(adapter: Adapter) -> EventStore:
    return adapter.store


@pytest.fixture
async def server() -> AsyncIterator[RunningServer]:
    """A test server of one test's own, for tests that inject faults or look at the server's state."""
    running = await start_server()
    yield running
    await running.stop()


@pytest.fixture
async def esdb_store(server: RunningServer) -> AsyncIterator[EsdbEventStore]:
    store = await EsdbEventStore.connect(server.url)
    yield store
    await store.close()
