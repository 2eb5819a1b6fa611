"""Fixtures for the escalation tests: a tenant of the test's own (so its subjects are its own in the shared
JetStream stream), settings on the test database and NATS, the open infrastructure, the relay in-process,
and the escalation app with its lifespan running."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from escalation_helpers import NOW
from fastapi import FastAPI
from faststream.nats import NatsBroker
from nats.js import JetStreamContext
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from klachtspoor.bootstrap import Infrastructure, open_infrastructure
from klachtspoor.cases import CaseRepository
from klachtspoor.crypto import MasterKey
from klachtspoor.relay import STREAM_NAME, Relay
from klachtspoor.settings import Settings
from klachtspoor.subscriptions import RetryPolicy
from services.escalation.adapters.pending_erasures import PostgresPendingErasures
from services.escalation.bootstrap import bootstrap
from services.escalation.settings import EscalationSettings
from tests.nats_fixtures import broker, js, tenant

__all__ = ["broker", "js", "tenant"]  # fixtures


@pytest.fixture
def settings(database_url: str, nats_url: str) -> Settings:
    return EscalationSettings(
        database_url=database_url, nats_url=nats_url, master_key=MasterKey.generate_base64()
    )


@pytest.fixture
async def infrastructure(settings: Settings) -> AsyncIterator[Infrastructure]:
    infra = await open_infrastructure(settings, pool_size=4)
    yield infra
    await infra.close()


@pytest.fixture
async def pending(settings: Settings) -> AsyncIterator[PostgresPendingErasures]:
    """The erasures begun and not yet recorded, in the test database's ``escalation`` schema."""
    erasures = await PostgresPendingErasures.open(settings.database_url)
    yield erasures
    await erasures.close()


@pytest.fixture
def repository(infrastructure: Infrastructure) -> CaseRepository:
    return CaseRepository(infrastructure.store, infrastructure.codec)


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
async def relay(
    infrastructure: Infrastructure, settings: Settings, broker: NatsBroker
) -> AsyncIterator[Relay]:
    """The real relay, publishing everything the test database commits."""
    relay = Relay(infrastructure.store, settings.database_url, broker, batch_size=16)
    task = asyncio.create_task(relay.run())
    yield relay
    relay.stop()
    await asyncio.wait_for(task, 30)


@pytest.fixture
async def app(
    settings: Settings,
    infrastructure: Infrastructure,
    tenant: str,
    exporter: InMemorySpanExporter,
    js: JetStreamContext,
) -> AsyncIterator[FastAPI]:
    """The escalation app, started, consuming only this test's tenant with a durable of its own."""
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    durable = f"escalation-{tenant}"
    application = bootstrap(
        settings,
        infrastructure=infrastructure,
        clock=lambda: NOW,
        tracer_provider=provider,
        durable=durable,
        tenant=tenant,
        max_deliver=3,
        retry=RetryPolicy(attempts=3, backoff=0.05, max_backoff=0.2),
        retry_poll_interval=0.1,
    ).app
    async with application.router.lifespan_context(application):
        yield application
    await js.delete_consumer(STREAM_NAME, durable)
