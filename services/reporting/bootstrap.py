"""Wires the reporting service: read-model pool and schema, the projections from the event store (the
case list, the statistics' case facts and the confidant contacts, each with its own checkpoint), the HTTP
API with bearer-token checks, telemetry. Every part can be replaced by a test."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import asyncpg
from fastapi import FastAPI

from klachtspoor import observability, pgconnect
from klachtspoor.auth import TokenVerifier
from klachtspoor.auth.tokens import verifier_from_settings
from klachtspoor.bootstrap import open_event_store
from klachtspoor.eventstore.port import EventStore
from klachtspoor.http.app import create_app
from klachtspoor.integrity.job import AnchorJob
from klachtspoor.policies import PolicyRegistry
from klachtspoor.service import Service
from klachtspoor.subscriptions import RetryPolicy, SubscriptionRunner, SupervisedRunner, wait_stopped
from klachtspoor.tenants import TenantRegistry
from services.reporting.adapters.dashboard import DashboardReader
from services.reporting.adapters.queries import CaseReader
from services.reporting.adapters.schema import apply_schema
from services.reporting.application.contacts import PROJECTION_NAME as CONTACTS_NAME
from services.reporting.application.contacts import contacts_projection
from services.reporting.application.projection import PROJECTION_NAME, reporting_projection
from services.reporting.application.statistics import PROJECTION_NAME as STATISTICS_NAME
from services.reporting.application.statistics import statistics_projection
from services.reporting.entrypoints.dashboard import DashboardConfig
from services.reporting.entrypoints.dashboard import install as install_dashboard
from services.reporting.entrypoints.http import router
from services.reporting.entrypoints.network import router as network_router
from services.reporting.entrypoints.reports import router as reports_router
from services.reporting.entrypoints.statistics import router as statistics_router
from services.reporting.settings import ReportingSettings

log = logging.getLogger(__name__)

SERVICE_NAME = "reporting"


def bootstrap(
    settings: ReportingSettings | None = None,
    *,
    store: EventStore | None = None,
    read_model_url: str | None = None,
    verifier: TokenVerifier | None = None,
    run_projection: bool = True,
    batch_size: int = 100,
    retry: RetryPolicy | None = None,
    pool_size: int = 5,
    stop_grace: float = 10.0,
    telemetry: bool = True,
    tenants: TenantRegistry | None = None,
    policies: PolicyRegistry | None = None,
) -> Service[ReportingSettings]:
    """The service and its app; connections open in the app's lifespan, never here.

    ``store``: an event store the caller owns (default: opened from the settings, closed at shutdown).
    ``read_model_url``: the database of the ``reporting`` schema (default: ``settings.database_url``).
    ``tenants``: the network's tenants, for the reports' letterheads (default: the settings' file).
    ``run_projection``: False serves the API from the rows as they are, without following the store.
    The app's state holds ``case_reader``, ``token_verifier`` and, in the lifespan, ``projection``,
    ``statistics`` (the statistics projection), ``contacts`` (the contacts projection, which reads the
    ``policies``, default from the settings) and (when ``settings.reporting_anchors``) ``anchors``, the
    periodic anchor over the global log.
    """
    settings = settings or ReportingSettings()
    url = read_model_url or settings.database_url
    if not url:
        raise ValueError("KLACHTSPOOR_DATABASE_URL is not set: reporting needs its read-model database")
    provider = observability.configure(SERVICE_NAME) if telemetry else None
    policies = policies or PolicyRegistry.from_settings(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as opened:
            opened.enter_context(observability.instrumented_asyncpg(provider, enabled=settings.trace_queries))
            pool = await pgconnect.create_prepared_pool(url, apply_schema, min_size=1, max_size=pool_size)
            opened.push_async_callback(pool.close)
            app.state.case_reader = CaseReader(pool)
            app.state.dashboard_reader = DashboardReader(pool)
            app.state.read_pool = pool  # the reports read the figures in one snapshot of their own
            event_store = store
            if event_store is None:
                event_store = await open_event_store(settings, pool_size=2)
                opened.push_async_callback(event_store.close)
            following, linger = event_store, settings.projection_linger
            projection = SupervisedRunner(
                lambda: SubscriptionRunner(
                    following, url, reporting_projection(batch_size=batch_size), retry=retry, linger=linger
                ),
                name=PROJECTION_NAME,
            )
            app.state.projection = projection
            counting = SupervisedRunner(
                lambda: SubscriptionRunner(
                    following, url, statistics_projection(batch_size=batch_size), retry=retry, linger=linger
                ),
                name=STATISTICS_NAME,
            )
            app.state.statistics = counting
            contacts = SupervisedRunner(
                lambda: SubscriptionRunner(
                    following,
                    url,
                    contacts_projection(policies, batch_size=batch_size),
                    retry=retry,
                    linger=linger,
                ),
                name=CONTACTS_NAME,
            )
            app.state.contacts = contacts
            task = asyncio.create_task(projection.run(), name="reporting") if run_projection else None
            counted = asyncio.create_task(counting.run(), name="statistics") if run_projection else None
            contacted = asyncio.create_task(contacts.run(), name="contacts") if run_projection else None
            anchoring = None
            if run_projection and settings.reporting_anchors:
                job = AnchorJob(following, url, interval=settings.reporting_anchor_interval)
                app.state.anchors = job
                anchoring = asyncio.create_task(job.run(), name="reporting-anchors")
            try:
                yield
            finally:
                if anchoring is not None:
                    app.state.anchors.stop()
                    await wait_stopped(anchoring, stop_grace)
                if task is not None and counted is not None and contacted is not None:
                    projection.stop()
                    counting.stop()  # all finish their batch in hand at the same time
                    contacts.stop()
                    await wait_stopped(contacted, stop_grace)
                    await wait_stopped(counted, stop_grace)
                    await wait_stopped(task, stop_grace)

    async def readiness() -> dict[str, bool]:
        reader = getattr(app.state, "case_reader", None)
        projection = getattr(app.state, "projection", None)
        counting = getattr(app.state, "statistics", None)
        contacting = getattr(app.state, "contacts", None)
        try:
            database = reader is not None and await reader.ping()
        except (OSError, asyncpg.PostgresError) as error:
            log.warning("Readiness: the read-model database does not answer: %s", error)
            database = False
        runners = (projection, counting, contacting)
        following = not run_projection or all(runner is not None and runner.healthy for runner in runners)
        return {"read_model": database, "projection": following}

    app = create_app(
        "klachtspoor reporting",
        readiness=readiness,
        lifespan=lifespan,
        max_body_bytes=settings.max_request_bytes,
        description="Case list, timelines and statistics, projected from the event store.",
    )
    app.state.token_verifier = verifier or verifier_from_settings(settings)
    app.state.statistics_threshold = settings.statistics_threshold
    app.state.tenants = tenants or TenantRegistry.from_settings(settings)
    app.include_router(router)
    app.include_router(statistics_router)
    app.include_router(network_router)
    install_dashboard(app, DashboardConfig(settings.dashboard_dev_signin, settings.dashboard_secure_cookie))
    app.include_router(reports_router)
    if provider is not None:
        observability.instrument_app(app, provider)
    return Service(SERVICE_NAME, settings, app, settings.http_host, settings.reporting_port)
