"""The escalation app with its staff API in-process: real PostgreSQL store and NATS, a tenant of the test's
own following the published SO! Trainingsbureau procedure, a confidant organisation and another provider,
tokens from a key pair of the test session."""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import uuid4

import httpx
import nats
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from staff_helpers import CONFIDANT_ORG, OTHER_CONFIDANT_ORG, OTHER_PROVIDER, POLICIES, Clock, Staff

from contracts.vocabulary import TenantKind
from klachtspoor.accesslog.postgres import PostgresAccessLog
from klachtspoor.auth import TokenVerifier
from klachtspoor.auth.devkeys import ensure_dev_keys
from klachtspoor.bootstrap import open_infrastructure
from klachtspoor.cases import CaseRepository
from klachtspoor.crypto import MasterKey
from klachtspoor.pgtools import create_database, drop_database, scratch_name
from klachtspoor.policies import PolicyRegistry
from klachtspoor.relay import STREAM_NAME
from klachtspoor.tenants import PublicContact, Tenant, TenantRegistry
from services.escalation.bootstrap import bootstrap
from services.escalation.settings import EscalationSettings


@pytest.fixture(scope="session")
def staff_keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    private_path, public_path = ensure_dev_keys(tmp_path_factory.mktemp("escalation-jwt"))
    return private_path.read_text(encoding="ascii"), public_path.read_text(encoding="ascii")


@pytest.fixture(scope="session")
def policy_registry() -> PolicyRegistry:
    return PolicyRegistry.from_directory(POLICIES)


def _tenant(slug: str, kind: TenantKind, policy: str | None) -> Tenant:
    return Tenant(
        slug=slug,
        display_name=f"Test {slug}",
        kind=kind,
        mail_sender_name=f"Test {slug}",
        contact=PublicContact(website=f"https://{slug}.example"),
        policy=policy,
    )


@pytest.fixture(scope="module")
async def staff_app(
    postgres_url: str, nats_url: str, policy_registry: PolicyRegistry, staff_keys: tuple[str, str]
) -> AsyncIterator[Staff]:
    """One app per test module, on a database of its own: the tests open cases of their own, so they share
    it safely and the module starts PostgreSQL, NATS consumers and the app once."""
    tenant = f"t-{uuid4().hex[:10]}"
    registry = TenantRegistry(
        [
            _tenant(tenant, TenantKind.PROVIDER, "so-trainingsbureau"),
            _tenant(OTHER_PROVIDER, TenantKind.PROVIDER, None),
            _tenant(CONFIDANT_ORG, TenantKind.CONFIDANT_ORG, None),
            _tenant(OTHER_CONFIDANT_ORG, TenantKind.CONFIDANT_ORG, None),
        ]
    )
    name = scratch_name("ks_staff")
    database_url = await create_database(postgres_url, name)
    master_key = MasterKey.generate_base64()
    settings = EscalationSettings(database_url=database_url, nats_url=nats_url, master_key=master_key)
    env = {"KLACHTSPOOR_DATABASE_URL": database_url, "KLACHTSPOOR_MASTER_KEY": master_key}
    infrastructure = await open_infrastructure(settings, pool_size=4)
    access_log = await PostgresAccessLog.open(database_url)
    clock = Clock()
    durable = f"escalation-{tenant}"
    spans = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    app = bootstrap(
        settings,
        infrastructure=infrastructure,
        clock=clock,
        tracer_provider=provider,
        durable=durable,
        tenant=tenant,
        tenants=registry,
        policies=policy_registry,
        verifier=TokenVerifier(public_key_pem=staff_keys[1]),
        access_log=access_log,
    ).app
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app)
            async with httpx.AsyncClient(transport=transport, base_url="http://escalation") as client:
                repository = CaseRepository(infrastructure.store, infrastructure.codec)
                yield Staff(client, repository, tenant, staff_keys[0], clock, spans, access_log, app, env)
        bus = await nats.connect(nats_url)
        await bus.jetstream().delete_consumer(STREAM_NAME, durable)
        await bus.close()
    finally:
        await access_log.close()
        await infrastructure.close()
        await drop_database(postgres_url, name)


@pytest.fixture
def staff(staff_app: Staff) -> Staff:
    """The module's app with its clock back at the default time."""
    staff_app.clock.now = Clock().now
    staff_app.spans.clear()
    return staff_app
