"""Fixtures of the tests that publish through the relay and read JetStream back: import them by name
(``from tests.nats_fixtures import broker, js, tenant``) and list them in the module's ``__all__``."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import nats
import pytest
from faststream.nats import NatsBroker
from nats.js import JetStreamContext


@pytest.fixture
def tenant() -> str:
    """A tenant of this test only, so its subjects are its own in the shared JetStream stream."""
    return f"t-{uuid.uuid4().hex[:10]}"


@pytest.fixture
async def broker(nats_url: str) -> AsyncIterator[NatsBroker]:
    bus = NatsBroker(nats_url)
    await bus.connect()
    yield bus
    await bus.stop()


@pytest.fixture
async def js(nats_url: str) -> AsyncIterator[JetStreamContext]:
    client = await nats.connect(nats_url)
    yield client.jetstream()
    await client.close()
