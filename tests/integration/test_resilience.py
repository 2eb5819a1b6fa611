"""Reconnecting and timing out against real servers: every PostgreSQL call is bounded, every NATS client
reconnects for as long as the server is away, and the JetStream stream has retention limits."""

from __future__ import annotations

import asyncio

import pytest
from faststream.nats import NatsBroker
from nats.js import JetStreamContext

from klachtspoor import pgconnect
from klachtspoor.crypto import MasterKey
from klachtspoor.eventstore.errors import StoreUnavailable
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.relay import STREAM_NAME, StreamLimits, ensure_stream
from klachtspoor.retry import NATS_RECONNECT_ATTEMPTS, is_transient
from klachtspoor.settings import Settings
from services.escalation.entrypoints.bus import build_broker, consumer_config
from services.notify.bootstrap import bootstrap as notify_bootstrap
from services.notify.settings import NotifySettings
from tests.nats_fixtures import js

__all__ = ["js"]  # fixtures

SHORT = pgconnect.Timeouts(command=0.5, acquire=0.5)


async def test_a_statement_longer_than_the_command_timeout_is_an_outage_not_a_hang(database_url: str) -> None:
    conn = await pgconnect.connect(database_url, SHORT)
    try:
        with pytest.raises(TimeoutError) as raised:
            await conn.execute("SELECT pg_sleep(5)")
        assert is_transient(raised.value)
    finally:
        await conn.close()


async def test_the_event_stores_pool_waits_at_most_the_acquire_timeout(database_url: str) -> None:
    store = await PostgresEventStore.connect(database_url, pool_size=1, timeouts=SHORT)
    try:
        async with store._pool.connection():  # the only connection is busy
            with pytest.raises(StoreUnavailable) as raised:
                await asyncio.wait_for(store.read_stream("case:t:none"), 5)
        assert is_transient(raised.value)
        assert await store.read_stream("case:t:none") == []  # free again: served
    finally:
        await store.close()


async def test_a_key_store_pool_acquire_is_bounded(database_url: str) -> None:
    pool = await pgconnect.create_pool(database_url, min_size=1, max_size=1, timeouts=SHORT)
    try:
        async with pgconnect.acquire(pool, SHORT):
            with pytest.raises(TimeoutError):
                async with pgconnect.acquire(pool, SHORT):
                    pass
    finally:
        await pool.close()


def test_every_services_nats_client_reconnects_for_ever(nats_url: str) -> None:
    settings = Settings(nats_url=nats_url, master_key=MasterKey.generate_base64())
    notify = notify_bootstrap(NotifySettings(**settings.model_dump())).app.state.notify
    config = consumer_config("d", ["klachtspoor.*.X"])
    escalation = build_broker(nats_url, lambda: None, config, stream="S")  # type: ignore[arg-type,return-value]
    for broker in (notify.broker, escalation):
        assert isinstance(broker, NatsBroker)
        assert broker._connection_kwargs["max_reconnect_attempts"] == NATS_RECONNECT_ATTEMPTS == -1


async def test_the_relay_sets_retention_limits_on_an_existing_stream(js: JetStreamContext) -> None:
    await ensure_stream(js)  # exists, as the relay or a consumer created it
    other = StreamLimits(max_age=20 * 24 * 3600.0, max_bytes=5 * 1024**3)
    try:
        info = await ensure_stream(js, STREAM_NAME, other)
        assert (info.config.max_age, info.config.max_bytes, info.config.discard) == (
            other.max_age,
            other.max_bytes,
            "new",
        )
        again = await ensure_stream(js)  # a consumer's call leaves the relay's limits alone
        assert (again.config.max_age, again.config.max_bytes) == (other.max_age, other.max_bytes)
    finally:
        await ensure_stream(js, STREAM_NAME, StreamLimits())
