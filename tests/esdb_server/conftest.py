"""A fresh test server per test, and esdbclient's asyncio client connected to it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from esdbclient import AsyncEventStoreDBClient

from tests.esdb_server import RunningServer, start_server


@pytest.fixture
async def server() -> AsyncIterator[RunningServer]:
    running = await start_server()
    yield running
    await running.stop()


@pytest.fixture
async def client(server: RunningServer) -> AsyncIterator[AsyncEventStoreDBClient]:
    made = AsyncEventStoreDBClient(uri=server.url)
    await made.connect()
    yield made
    await made.close()
