"""Wires the escalation service: infrastructure, workflow, bus consumer and HTTP app.

``bootstrap()`` only builds objects; connections open in the app's lifespan (uvicorn start-up, or
``app.router.lifespan_context(app)`` in tests). Every part can be passed in instead of the default.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from fastapi import FastAPI
from faststream.nats import NatsBroker
from opentelemetry.sdk.trace import TracerProvider

from contracts.values import Term
from contracts.vocabulary import TermUnit
from klachtspoor import observability, pgconnect
from klachtspoor.accesslog import AccessLog
from klachtspoor.accesslog.postgres import PostgresAccessLog
from klachtspoor.auth import TokenVerifier
from klachtspoor.bootstrap import Infrastructure, open_infrastructure
from klachtspoor.cases import CaseRepository
from klachtspoor.crypto import MasterKey
from klachtspoor.http.ratelimit import Limit, RateLimiter
from klachtspoor.policies import PolicyRegistry
from klachtspoor.relay import STREAM_NAME, ensure_stream
from klachtspoor.retry import RetryPolicy
from klachtspoor.service import Service
from klachtspoor.subscriptions import SubscriptionRunner, SupervisedRunner, wait_stopped
from klachtspoor.tenants import TenantRegistry
from services.escalation.adapters.dossier_index import DossierReferences, dossier_index_projection
from services.escalation.adapters.parking import ParkingLot
from services.escalation.adapters.pending_erasures import PostgresPendingErasures
from services.escalation.adapters.policies import PinnedPolicies
from services.escalation.application.cases import CaseWorkflow
from services.escalation.application.contacts import ContactWorkflow
from services.escalation.application.dossier import DossierAccess
from services.escalation.application.erasure import ErasureWorkflow
from services.escalation.application.staff import StaffWorkflow
from services.escalation.application.timer_service import TimerService
from services.escalation.domain import due_date
from services.escalation.entrypoints.app_state import StaffApi
from services.escalation.entrypoints.bus import (
    DURABLE,
    build_broker,
    consumer_config,
    ensure_consumer,
    filter_subjects,
)
from services.escalation.entrypoints.consumer import CaseEventConsumer, Clock
from services.escalation.entrypoints.dossier_access import PublicDossier
from services.escalation.entrypoints.dossier_session import SESSION_PURPOSE
from services.escalation.entrypoints.http import ASYNCAPI_PATH, create_http_app
from services.escalation.entrypoints.tokens import staff_verifier
from services.escalation.settings import EscalationSettings

log = logging.getLogger(__name__)
SERVICE_NAME = "escalation"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Runtime:
    """What the lifespan opens; tests reach it through ``app.state.escalation``."""

    settings: EscalationSettings
    broker: NatsBroker
    parking: ParkingLot
    infrastructure: Infrastructure | None = None
    consumer: CaseEventConsumer | None = None
    timer: TimerService | None = None
    dossier_index: SupervisedRunner | None = None

    def current_consumer(self) -> CaseEventConsumer:
        if self.consumer is None:
            raise RuntimeError("The escalation consumer is not started (the app's lifespan has not run)")
        return self.consumer

    async def readiness(self) -> dict[str, bool]:
        return {
            "database": await self.parking.reachable(),
            "store": await self._store_reachable(),
            "bus": await self._bus_reachable(),
        }

    async def _store_reachable(self) -> bool:
        if self.infrastructure is None:
            return False
        try:
            await self.infrastructure.store.read_stream("health:probe:escalation", limit=1)
        except Exception as error:
            log.warning("Readiness: event store unreachable (%s: %s)", type(error).__name__, error)
            return False
        return True

    async def _bus_reachable(self) -> bool:
        try:
            return bool(await self.broker.ping(timeout=2.0))
        except Exception as error:
            log.warning("Readiness: NATS unreachable (%s: %s)", type(error).__name__, error)
            return False


def bootstrap(
    settings: EscalationSettings | None = None,
    *,
    infrastructure: Infrastructure | None = None,
    clock: Clock = utc_now,
    tracer_provider: TracerProvider | None = None,
    durable: str = DURABLE,
    tenant: str = "*",
    stream: str = STREAM_NAME,
    max_deliver: int = 5,
    retry: RetryPolicy | None = None,
    append_attempts: int = 8,
    retry_poll_interval: float = 2.0,
    policies: PolicyRegistry | None = None,
    timer_interval: float | None = None,
    tenants: TenantRegistry | None = None,
    verifier: TokenVerifier | None = None,
    access_log: AccessLog | None = None,
) -> Service[EscalationSettings]:
    """The escalation service and its app. Pass ``infrastructure`` to reuse an open store (it is then not
    closed here), ``access_log`` likewise, ``tracer_provider`` to keep telemetry local (tests),
    ``tenant``/``durable`` to consume a slice."""
    settings = settings or EscalationSettings()
    provider = observability.configure(SERVICE_NAME, tracer_provider=tracer_provider)
    if not settings.nats_url:
        raise ValueError("KLACHTSPOOR_NATS_URL is not set (make dev sets it for the processes it starts)")
    parking = ParkingLot(settings.database_url, durable, timeouts=pgconnect.Timeouts.of(settings))
    policies = policies or PolicyRegistry.from_settings(settings)
    staff = StaffApi(tenants or TenantRegistry.from_settings(settings), PinnedPolicies(policies), clock)
    runtime: Runtime
    config = consumer_config(durable, filter_subjects(tenant), ack_wait=settings.escalation_ack_wait)
    broker = build_broker(
        settings.nats_url,
        lambda: runtime.current_consumer(),
        config,
        stream=stream,
        tracer_provider=provider,
        workers=settings.escalation_workers,
    )
    runtime = Runtime(settings, broker, parking)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            stack.enter_context(observability.instrumented_asyncpg(provider, enabled=settings.trace_queries))
            infra = infrastructure
            if infra is None:
                infra = await open_infrastructure(settings)
                stack.push_async_callback(infra.close)
            runtime.infrastructure = infra
            await parking.prepare()
            workflow = CaseWorkflow(
                CaseRepository(infra.store, infra.codec), staff.policies, attempts=append_attempts
            )
            redelivery = retry or RetryPolicy(
                attempts=max_deliver, backoff=settings.retry_initial, max_backoff=settings.retry_max
            )
            consumer = CaseEventConsumer(
                workflow, parking, clock, name=durable, max_deliver=max_deliver, retry=redelivery
            )
            runtime.consumer = consumer
            repository = CaseRepository(infra.store, infra.codec)
            staff_workflow = StaffWorkflow(repository, staff.policies, attempts=append_attempts)
            reads = access_log
            if reads is None:
                reads = await PostgresAccessLog.open(
                    settings.database_url, timeouts=pgconnect.Timeouts.of(settings)
                )
                stack.push_async_callback(reads.close)
            pending = await PostgresPendingErasures.open(
                settings.database_url, timeouts=pgconnect.Timeouts.of(settings)
            )
            stack.push_async_callback(pending.close)
            erasure = ErasureWorkflow(
                repository, infra.codec.keyring, staff.policies, pending, attempts=append_attempts
            )
            app.state.staff = replace(
                staff,
                workflow=staff_workflow,
                repository=repository,
                access_log=reads,
                erasure=erasure,
                contacts=ContactWorkflow(repository, attempts=append_attempts),
            )
            timer = TimerService(
                infra.store,
                settings.database_url,
                CaseRepository(infra.store, infra.codec),
                policies,
                clock,
                pending,
                interval=timer_interval or settings.escalation_timer_interval,
                retry=retry,
                linger=settings.projection_linger,
            )
            await timer.start()
            stack.push_async_callback(timer.stop)
            references = await DossierReferences.open(
                settings.database_url, timeouts=pgconnect.Timeouts.of(settings)
            )
            stack.push_async_callback(references.close)
            index = SupervisedRunner(
                lambda: SubscriptionRunner(
                    infra.store,
                    settings.database_url,
                    dossier_index_projection(),
                    linger=settings.projection_linger,
                ),
                name="escalation dossier index",
            )
            runtime.dossier_index = index
            indexing = asyncio.create_task(index.run(), name="escalation-dossier-index")
            stack.push_async_callback(_stop_index, index, indexing)
            app.state.dossier = replace(
                app.state.dossier, access=DossierAccess(references.case_of, repository, staff.policies)
            )
            runtime.timer = timer
            # The calendar builds its holiday tables on first use (about a second): not on the first signal.
            due_date(clock().date(), Term(amount=2, unit=TermUnit.WORKING_DAYS))
            stack.push_async_callback(broker.stop)
            await broker.connect()
            await ensure_stream(broker.connection.jetstream(), stream)
            await ensure_consumer(broker.connection.jetstream(), stream, config)
            await broker.start()
            retries = asyncio.create_task(
                parking.serve_retries(infra.store, consumer.handle_parked, interval=retry_poll_interval),
                name=f"{durable}-parked-retries",
            )
            stack.push_async_callback(_cancel, retries)
            log.info("Escalation consuming %s as durable %s; AsyncAPI at %s", stream, durable, ASYNCAPI_PATH)
            yield

    app = create_http_app(
        broker, readiness=runtime.readiness, lifespan=lifespan, max_body_bytes=settings.max_request_bytes
    )
    app.state.escalation = runtime
    app.state.dossier = PublicDossier(
        per_address=Limit("dossier-address", settings.dossier_attempts_per_address),
        failures_per_code=Limit("dossier-code-failures", settings.dossier_failures_per_code),
        overall=Limit("dossier-overall", settings.dossier_attempts_overall),
        limiter=RateLimiter(),
        session_key=_session_key(settings),
        session_seconds=settings.dossier_session_minutes * 60,
    )
    app.state.staff = staff
    app.state.token_verifier = verifier or staff_verifier(settings)
    observability.instrument_app(app, provider)
    return Service(SERVICE_NAME, settings, app, settings.http_host, settings.escalation_port)


def _session_key(settings: EscalationSettings) -> bytes:
    """The dossier sessions' signing key, derived from the master key. Without a master key no store opens
    (so no dossier either); a key of the process's own keeps such an app buildable (schema exports)."""
    master_key = settings.master_key_value()
    if not master_key:
        return secrets.token_bytes(32)
    return MasterKey.from_base64(master_key).derive(SESSION_PURPOSE)


async def _stop_index(index: SupervisedRunner, task: asyncio.Task[None]) -> None:
    index.stop()
    await wait_stopped(task, 10.0)


async def _cancel(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
