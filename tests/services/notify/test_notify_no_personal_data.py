"""An SMTP server's refusal quotes the address: its text reaches no log, span, NATS message or event."""

from __future__ import annotations

from notify_helpers import StartNotify, request_notification, wait_for_outcomes
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from contracts.events import NotificationFailed, NotificationParked
from klachtspoor.cases import CaseRepository
from klachtspoor.relay import Relay
from klachtspoor_devtools.devstack.smtp import MailSink
from tests.leak_watch import MARKED_ADDRESS, MARKER, leak_watch


async def test_an_smtp_refusal_naming_the_recipient_leaks_nothing(
    repository: CaseRepository,
    relay: Relay,
    start_notify: StartNotify,
    smtp_sink: MailSink,
    tenant: str,
    nats_url: str,
) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    smtp_sink.reject_with = f"550 5.1.1 <{MARKED_ADDRESS}>: no mailbox for {MARKER}"

    async with leak_watch(nats_url) as watch:
        await start_notify(tracer_provider=provider)
        # Under a sampled span of the test's own: the request's traceparent then asks notify to record,
        # whatever tracer provider an earlier test in this process installed globally (one without an
        # exporter samples nothing, and notify follows its parent's decision).
        with provider.get_tracer("test").start_as_current_span("request notification"):
            requested = await request_notification(repository, tenant, name=MARKER, email=MARKED_ADDRESS)
        recorded = await wait_for_outcomes(repository, requested.stream, "NotificationParked")

    failed, parked = recorded[0].event, recorded[1].event
    assert isinstance(failed, NotificationFailed) and isinstance(parked, NotificationParked)
    assert "550" in failed.error and "550" in parked.reason  # the code is kept: it tells what happened
    smtp = [span for span in exporter.get_finished_spans() if span.name == "smtp send"]
    assert smtp and smtp[0].status.description is not None and "550" in smtp[0].status.description
    assert any("Mail attempt 1 failed" in line for line in watch.logs.lines)
    assert watch.messages, "the relayed events were watched"
    watch.assert_clean(spans=exporter.get_finished_spans(), bodies=[failed.error, parked.reason])
