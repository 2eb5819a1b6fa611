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

from klachtspoor.eventstore.memory import InMemoryEventStore
from klachtspoor.eventstore.port import EventStore
from klachtspoor.eventstore.postgres import PostgresEventStore

ADAPTERS = ["memory", "postgres"]


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
        case other:
            raise ValueError(f"no fixture for adapter {other!r}")


@pytest.fixture
async def adapter(backend: Backend) -> AsyncIterator[Adapter]:
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
        case other:
            raise ValueError(f"no fixture for adapter {other!r}")
    yield made
    await made.store.close()


@pytest.fixture
def store(adapter: Adapter) -> EventStore:
    return adapter.store
