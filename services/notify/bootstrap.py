"""Wiring of the notify process. Nothing connects here: :meth:`NotifyRuntime.start` does (the app's
lifespan calls it), so tests pass their own parts and start the service themselves."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from fastapi import FastAPI
from faststream.nats import NatsBroker
from faststream.nats.opentelemetry import NatsTelemetryMiddleware
from opentelemetry.sdk.trace import TracerProvider

from klachtspoor import observability
from klachtspoor.bootstrap import Infrastructure, open_infrastructure
from klachtspoor.cases import CaseRepository
from klachtspoor.letters.facts import PolicyTemplatesMissing, missing_templates
from klachtspoor.letters.render import MailRenderer
from klachtspoor.policies import PolicyRegistry
from klachtspoor.relay import ensure_stream
from klachtspoor.retry import NATS_RECONNECT_ATTEMPTS
from klachtspoor.service import Service
from klachtspoor.tenants import TenantRegistry
from services.notify.adapters.print_queue import PrintQueue
from services.notify.adapters.smtp import SmtpMailer
from services.notify.application.delivery import AfterHandover, Clock, Deliverer, Mailer, record_at_once
from services.notify.domain.retry import RetrySchedule
from services.notify.entrypoints import http, subscriber
from services.notify.settings import NotifySettings

log = logging.getLogger(__name__)
SERVICE_NAME = "notify"


def utc_now() -> datetime:
    return datetime.now(UTC)


class NotifyRuntime:
    """What the notify process runs: a JetStream subscriber that sends mails, and a FastAPI app for health
    checks."""

    def __init__(
        self,
        settings: NotifySettings,
        broker: NatsBroker,
        *,
        infrastructure: Infrastructure | None,
        tenants: TenantRegistry | None,
        policies: PolicyRegistry | None,
        mailer: Mailer | None,
        renderer: MailRenderer,
        clock: Clock,
        after_handover: AfterHandover,
        tracer_provider: TracerProvider,
    ) -> None:
        self.settings, self.broker = settings, broker
        self._given_infrastructure = infrastructure
        self._infrastructure: Infrastructure | None = None
        self._tenants, self._mailer, self._renderer = tenants, mailer, renderer
        self._policies = policies
        self._clock, self._after_handover = clock, after_handover
        self._deliverer: Deliverer | None = None
        self._own_mailer: SmtpMailer | None = None
        self._tracer_provider = tracer_provider
        subscriber.register(broker, settings, self.deliverer)
        self.app: FastAPI = http.build_app(self._readiness, self._lifespan, settings.max_request_bytes)
        observability.instrument_app(self.app, tracer_provider)

    def deliverer(self) -> Deliverer:
        if self._deliverer is None:
            raise RuntimeError("The notify service is not started")
        return self._deliverer

    async def start(self) -> None:
        settings = self.settings
        policies = self._policies or PolicyRegistry.from_settings(settings)
        missing = missing_templates(policies, self._renderer)
        if missing:
            raise PolicyTemplatesMissing(missing)
        infrastructure = self._given_infrastructure or await open_infrastructure(settings, pool_size=5)
        self._infrastructure = infrastructure
        self._deliverer = Deliverer(
            CaseRepository(infrastructure.store, infrastructure.codec),
            self._renderer,
            self._mailer or self._smtp_mailer(),
            self._tenants or TenantRegistry.from_settings(settings),
            policies,
            schedule=RetrySchedule.of_seconds(
                settings.notify_retry_delays, max_attempts=settings.notify_max_attempts
            ),
            sender=settings.mail_from,
            bounce_address=settings.bounce_address(),
            clock=self._clock,
            print_queue=PrintQueue(settings.letters_dir),
            after_handover=self._after_handover,
        )
        try:
            await self.broker.connect()
            await ensure_stream(self.broker.connection.jetstream(), settings.notify_stream)
            await self.broker.start()
        except BaseException:
            await self.stop()
            raise
        log.info("Notify consuming %s as %s", subscriber.filter_subjects(settings), settings.notify_durable)

    def _smtp_mailer(self) -> SmtpMailer:
        """The mailer of the settings; its kept connections are closed at :meth:`stop`."""
        settings, tracer = self.settings, self._tracer_provider.get_tracer("services.notify.smtp")
        self._own_mailer = SmtpMailer(
            settings.smtp_host,
            settings.smtp_port,
            tls=settings.smtp_tls,
            login=settings.smtp_login(),
            ca_file=str(settings.smtp_ca_file) if settings.smtp_ca_file else None,
            timeout=settings.smtp_timeout,
            tracer=tracer,
            keep_connections=settings.notify_workers if settings.smtp_keep_connections else 0,
        )
        return self._own_mailer

    async def stop(self) -> None:
        await self.broker.stop()
        if self._own_mailer is not None:
            await self._own_mailer.close()
            self._own_mailer = None
        if self._infrastructure is not None and self._given_infrastructure is None:
            await self._infrastructure.close()
        self._infrastructure = None

    @asynccontextmanager
    async def running(self) -> AsyncIterator[NotifyRuntime]:
        with observability.instrumented_asyncpg(self._tracer_provider, enabled=self.settings.trace_queries):
            await self.start()
            try:
                yield self
            finally:
                await self.stop()

    @asynccontextmanager
    async def _lifespan(self, _: FastAPI) -> AsyncIterator[None]:
        async with self.running():
            yield

    async def _readiness(self) -> dict[str, bool]:
        infrastructure = self._infrastructure
        store_ok = False
        if infrastructure is not None:
            try:
                await infrastructure.store.read_stream("readyz-probe", limit=1)
                store_ok = True
            except Exception:
                log.warning("Readiness: event store not reachable", exc_info=True)
        return {"eventstore": store_ok, "nats": await self.broker.ping(timeout=2.0)}


def bootstrap(
    settings: NotifySettings | None = None,
    *,
    infrastructure: Infrastructure | None = None,
    broker: NatsBroker | None = None,
    tenants: TenantRegistry | None = None,
    policies: PolicyRegistry | None = None,
    mailer: Mailer | None = None,
    renderer: MailRenderer | None = None,
    clock: Clock = utc_now,
    after_handover: AfterHandover = record_at_once,
    tracer_provider: TracerProvider | None = None,
) -> Service[NotifySettings]:
    """The notify service with overridable parts; its :class:`NotifyRuntime` is ``app.state.notify``.
    Without ``tracer_provider`` the process's own is installed from the ``OTEL_*`` variables."""
    settings = settings or NotifySettings()
    provider = observability.configure(SERVICE_NAME, tracer_provider=tracer_provider)
    bus = broker or NatsBroker(
        settings.nats_url,
        name="klachtspoor-notify",
        max_reconnect_attempts=NATS_RECONNECT_ATTEMPTS,
        log_level=logging.DEBUG,  # FastStream's "Received"/"Processed" per message; notify logs the outcome
        middlewares=(NatsTelemetryMiddleware(tracer_provider=provider),),
    )
    runtime = NotifyRuntime(
        settings,
        bus,
        infrastructure=infrastructure,
        tenants=tenants,
        policies=policies,
        mailer=mailer,
        renderer=renderer or MailRenderer(),
        clock=clock,
        after_handover=after_handover,
        tracer_provider=provider,
    )
    runtime.app.state.notify = runtime
    return Service(SERVICE_NAME, settings, runtime.app, settings.http_host, settings.notify_port)
