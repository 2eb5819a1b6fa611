"""Wires the intake service: settings, tenants, policies, token verifier, event store, references, app.

``bootstrap()`` builds the app without connecting anything; the app's lifespan opens the connections
and closes what it opened. Tests pass their own parts (infrastructure, references, clock, ids).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager, suppress
from datetime import UTC, datetime
from uuid import UUID, uuid4

from fastapi import FastAPI
from opentelemetry.sdk.trace import TracerProvider

from klachtspoor import observability
from klachtspoor.auth import TokenVerifier
from klachtspoor.auth.tokens import verifier_from_settings
from klachtspoor.bootstrap import Infrastructure, open_infrastructure
from klachtspoor.cases import CaseRepository
from klachtspoor.crypto import KeyStoreUnavailable
from klachtspoor.eventstore.errors import StoreUnavailable
from klachtspoor.http.app import create_app
from klachtspoor.http.ratelimit import Limit, RateLimiter
from klachtspoor.policies import PolicyRegistry
from klachtspoor.service import Service
from klachtspoor.tenants import TenantRegistry
from klachtspoor.web.public import mount_static
from services.intake.adapters.policies import latest_policy_pins
from services.intake.adapters.references import PostgresReferences, ReferenceAllocator
from services.intake.application.open_case import (
    MAC_PURPOSE,
    ErasureCheck,
    IntakeService,
    PolicyLookup,
    RequestMacs,
)
from services.intake.entrypoints.http import router
from services.intake.entrypoints.public import PublicWayIn
from services.intake.entrypoints.public import router as public_router
from services.intake.entrypoints.public_form import router as form_router
from services.intake.settings import IntakeSettings

log = logging.getLogger("services.intake")
SERVICE_NAME = "intake"
READINESS_STREAM = "intake:readiness:probe"
PURGE_EVERY_SECONDS = 600.0
"""How often expired claims and those of erased cases are deleted (an expired one also goes when its key
is used again)."""


def utc_now() -> datetime:
    return datetime.now(UTC)


def bootstrap(
    settings: IntakeSettings | None = None,
    *,
    infrastructure: Infrastructure | None = None,
    references: ReferenceAllocator | None = None,
    tenants: TenantRegistry | None = None,
    verifier: TokenVerifier | None = None,
    policies: PolicyLookup | None = None,
    clock: Callable[[], datetime] = utc_now,
    new_case_id: Callable[[], UUID] = uuid4,
    telemetry: bool = True,
    tracer_provider: TracerProvider | None = None,
) -> Service[IntakeSettings]:
    """The intake service and its app. ``telemetry=False``: no spans at all (tests that instrument the
    app themselves); ``tracer_provider``: keep the spans local (tests), else the process's own."""
    settings = settings or IntakeSettings()
    tenants = tenants or TenantRegistry.from_settings(settings)
    policies = policies or latest_policy_pins(PolicyRegistry.from_settings(settings))
    for tenant in tenants:
        policies(tenant)  # fail at start, not on the first signal, when a tenant's policy is unknown
    verifier = verifier or verifier_from_settings(settings)
    provider = observability.configure(SERVICE_NAME, tracer_provider=tracer_provider) if telemetry else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as opened:
            opened.enter_context(observability.instrumented_asyncpg(provider, enabled=settings.trace_queries))
            infra = infrastructure
            if infra is None:
                infra = await open_infrastructure(settings)
                opened.push_async_callback(infra.close)
            refs = references
            if refs is None:
                postgres = await PostgresReferences.open(settings.database_url)
                opened.push_async_callback(postgres.close)
                refs = postgres
            repository = CaseRepository(infra.store, infra.codec)
            keys = settings.master_keys()
            macs = RequestMacs(
                keys.current.derive(MAC_PURPOSE), tuple(key.derive(MAC_PURPOSE) for key in keys.previous)
            )
            service = IntakeService(repository, refs, macs=macs, policies=policies, new_case_id=new_case_id)
            app.state.intake = service
            app.state.probes = _probes(infra, refs)
            purge = asyncio.create_task(
                _purge_claims(service, infra.keys.is_erased, clock), name="intake purge claims"
            )
            try:
                yield
            finally:
                purge.cancel()
                with suppress(asyncio.CancelledError):
                    await purge
                app.state.probes = {}

    app = create_app(
        "klachtspoor intake",
        description="The front door: signals of dissatisfaction open a case.",
        readiness=lambda: _ready(app),
        lifespan=lifespan,
        max_body_bytes=settings.max_request_bytes,
    )
    app.state.token_verifier = verifier
    app.state.tenants = tenants
    app.state.clock = clock
    app.state.probes = {}
    app.state.public = PublicWayIn(
        per_address=Limit("public-filing-address", settings.public_filing_per_address),
        overall=Limit("public-filing-overall", settings.public_filing_overall),
        limiter=RateLimiter(),
        dossier_url=settings.public_dossier_url,
    )
    app.include_router(router)
    app.include_router(public_router)
    app.include_router(form_router)
    mount_static(app)
    if provider is not None:
        observability.instrument_app(app, provider)
    return Service(SERVICE_NAME, settings, app, settings.http_host, settings.intake_port)


async def _purge_claims(
    service: IntakeService, is_erased: ErasureCheck, clock: Callable[[], datetime]
) -> None:
    """Delete expired claims and those of erased cases at start and every 10 minutes, while the app runs."""
    while True:
        try:
            purged = await service.purge_claims(clock(), is_erased)
        except (StoreUnavailable, KeyStoreUnavailable) as error:
            log.warning("Idempotency-Key claims not purged: storage unavailable (%s)", type(error).__name__)
        else:
            if purged:
                log.info("purged %d Idempotency-Key claims (expired or of erased cases)", purged)
        await asyncio.sleep(PURGE_EVERY_SECONDS)


Probe = Callable[[], Awaitable[object]]


def _probes(infra: Infrastructure, refs: ReferenceAllocator) -> dict[str, Probe]:
    return {
        "database": refs.ping,
        "event_store": lambda: infra.store.read_stream(READINESS_STREAM, limit=1),
        "key_store": lambda: infra.keys.get_erasure("demo", "readiness-probe"),
    }


async def _ready(app: FastAPI) -> dict[str, bool]:
    """Every dependency answers (False for all before the lifespan opened them)."""
    probes: dict[str, Probe] = app.state.probes
    if not probes:
        return {"database": False, "event_store": False, "key_store": False}
    results: dict[str, bool] = {}
    for name, probe in probes.items():
        try:
            await probe()
        except Exception as error:
            log.warning("readiness: %s unreachable: %r", name, error)
            results[name] = False
        else:
            results[name] = True
    return results
