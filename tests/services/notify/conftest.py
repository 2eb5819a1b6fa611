"""Fixtures for the notify tests: a tenant of the test's own (its subjects are its own in the shared
JetStream stream), settings on the test database and NATS, the relay in-process, and a notify service
factory that consumes only this tenant with a durable of its own and sends to the test's SMTP sink."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, suppress
from typing import Any
from uuid import uuid4

import nats
import pytest
from faststream.nats import NatsBroker
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError
from notify_helpers import Requested, StartNotify, registry, request_notification, wait_for_outcomes
from opentelemetry.sdk.trace import TracerProvider

from klachtspoor.bootstrap import Infrastructure, open_infrastructure
from klachtspoor.cases import CaseRepository
from klachtspoor.crypto import MasterKey
from klachtspoor.relay import STREAM_NAME, Relay
from klachtspoor.settings import Settings
from klachtspoor_devtools.devstack.smtp import MailSink
from services.notify.bootstrap import NotifyRuntime, bootstrap
from services.notify.settings import NotifySettings


@pytest.fixture
def tenant() -> str:
    return f"t-{uuid4().hex[:10]}"


@pytest.fixture
def settings(database_url: str, nats_url: str) -> Settings:
    return Settings(database_url=database_url, nats_url=nats_url, master_key=MasterKey.generate_base64())


@pytest.fixture
async def infrastructure(settings: Settings) -> AsyncIterator[Infrastructure]:
    infra = await open_infrastructure(settings, pool_size=4)
    yield infra
    await infra.close()


@pytest.fixture
def repository(infrastructure: Infrastructure) -> CaseRepository:
    return CaseRepository(infrastructure.store, infrastructure.codec)


@pytest.fixture
async def js(nats_url: str) -> AsyncIterator[JetStreamContext]:
    client = await nats.connect(nats_url)
    yield client.jetstream()
    await client.close()


@pytest.fixture
async def relay(infrastructure: Infrastructure, settings: Settings, nats_url: str) -> AsyncIterator[Relay]:
    broker = NatsBroker(nats_url)
    await broker.connect()
    # A provider of its own, which samples: a global one an earlier test installed (none exports in
    # tests, so it samples nothing) would mark every relayed trace unsampled, and notify follows that.
    relay = Relay(
        infrastructure.store, settings.database_url, broker, batch_size=16, tracer_provider=TracerProvider()
    )
    task = asyncio.create_task(relay.run())
    yield relay
    relay.stop()
    await asyncio.wait_for(task, 30)
    await broker.stop()


@pytest.fixture
async def start_notify(
    settings: Settings,
    infrastructure: Infrastructure,
    tenant: str,
    smtp_sink: MailSink,
    js: JetStreamContext,
) -> AsyncIterator[StartNotify]:
    """``await start_notify(**overrides)``: a started notify service; stopped, its durable deleted after."""
    durable = f"notify-{tenant}"
    async with AsyncExitStack() as stack:

        async def start(**overrides: Any) -> NotifyRuntime:
            values: dict[str, Any] = {
                "infrastructure": infrastructure,
                "tenants": registry(tenant),
                "notify_durable": durable,
                "notify_tenant_filter": tenant,
                "smtp_port": smtp_sink.port,
                "smtp_tls": "none",
                "notify_ack_wait": 5.0,
                "tracer_provider": TracerProvider(),
                **overrides,
            }
            fields = {name: value for name, value in values.items() if name in NotifySettings.model_fields}
            parts = {name: value for name, value in values.items() if name not in fields}
            service = bootstrap(NotifySettings(**{**settings.model_dump(), **fields}), **parts)
            runtime: NotifyRuntime = service.app.state.notify
            return await stack.enter_async_context(runtime.running())

        yield start
    with suppress(NotFoundError):
        await js.delete_consumer(STREAM_NAME, durable)


@pytest.fixture
async def sent_notification(
    repository: CaseRepository, relay: Relay, start_notify: StartNotify, tenant: str
) -> Requested:
    """A notification the running notify service has mailed (its ``NotificationSent`` recorded)."""
    await start_notify()
    requested = await request_notification(repository, tenant)
    await wait_for_outcomes(repository, requested.stream, "NotificationSent")
    return requested
