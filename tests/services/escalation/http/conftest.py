"""The escalation app with its staff API in-process: real PostgreSQL store and NATS, a tenant of the test's
own following the published SO! Trainingsbureau procedure, a confidant organisation and another provider,
tokens from a key pair of the test session."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from nats.js import JetStreamContext
from opentelemetry.sdk.trace import TracerProvider
from staff_helpers import CONFIDANT_ORG, OTHER_PROVIDER, POLICIES, Clock, Staff

from klachtspoor.auth import TokenVerifier
from klachtspoor.auth.devkeys import ensure_dev_keys
from klachtspoor.bootstrap import Infrastructure
from klachtspoor.cases import CaseRepository
from klachtspoor.policies import PolicyRegistry
from klachtspoor.relay import STREAM_NAME
from klachtspoor.settings import Settings
from klachtspoor.tenants import PublicContact, Tenant, TenantKind, TenantRegistry
from services.escalation.bootstrap import bootstrap


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


@pytest.fixture
def tenant_registry(tenant: str) -> TenantRegistry:
    return TenantRegistry(
        [
            _tenant(tenant, TenantKind.PROVIDER, "so-trainingsbureau"),
            _tenant(OTHER_PROVIDER, TenantKind.PROVIDER, None),
            _tenant(CONFIDANT_ORG, TenantKind.CONFIDANT_ORG, None),
        ]
    )


@pytest.fixture
async def staff(
    settings: Settings,
    infrastructure: Infrastructure,
    tenant: str,
    tenant_registry: TenantRegistry,
    policy_registry: PolicyRegistry,
    staff_keys: tuple[str, str],
    js: JetStreamContext,
) -> AsyncIterator[Staff]:
    clock = Clock()
    durable = f"escalation-{tenant}"
    app = bootstrap(
        settings,
        infrastructure=infrastructure,
        clock=clock,
        tracer_provider=TracerProvider(),
        durable=durable,
        tenant=tenant,
        tenants=tenant_registry,
        policies=policy_registry,
        verifier=TokenVerifier(public_key_pem=staff_keys[1]),
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://escalation") as client:
            repository = CaseRepository(infrastructure.store, infrastructure.codec)
            yield Staff(client, repository, tenant, staff_keys[0], clock)
    await js.delete_consumer(STREAM_NAME, durable)

