"""The SMTP handover is a client span that names the mail's Message-ID, also when the handover fails."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from klachtspoor_devtools.devstack.smtp import MailSink
from services.notify.adapters.message import OutgoingMail
from services.notify.adapters.smtp import MESSAGE_ID_ATTRIBUTE, SmtpMailer, SmtpTls
from services.notify.domain.decider import Delivered, Failed

ENVELOPE = {"sender": "klachten@klachtspoor.example", "recipient": "ouder@example.org"}


def traced() -> tuple[TracerProvider, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider, exporter


def mail(message_id: str) -> OutgoingMail:
    message = EmailMessage()
    message["From"] = "klachten@klachtspoor.example"
    message["To"] = "ouder@example.org"
    message["Subject"] = "Ontvangstbevestiging"
    message["Message-ID"] = message_id
    message.set_content("Hallo")
    return OutgoingMail(str(message["Message-ID"]), message.as_bytes(policy=policy.SMTP))


async def test_a_handover_is_a_client_span_with_the_message_id(smtp_sink: MailSink) -> None:
    provider, exporter = traced()
    mailer = SmtpMailer("127.0.0.1", smtp_sink.port, tls=SmtpTls.NONE, tracer=provider.get_tracer("test"))

    assert await mailer.send(mail("<span-1@klachtspoor>"), **ENVELOPE) == Delivered("<span-1@klachtspoor>")

    [span] = exporter.get_finished_spans()
    assert (span.name, span.kind) == ("smtp send", SpanKind.CLIENT)
    assert span.attributes is not None
    assert span.attributes[MESSAGE_ID_ATTRIBUTE] == "<span-1@klachtspoor>"
    assert span.attributes["server.port"] == smtp_sink.port
    assert span.status.status_code is StatusCode.UNSET


async def test_a_refused_handover_marks_its_span_as_an_error(smtp_sink: MailSink) -> None:
    provider, exporter = traced()
    smtp_sink.reject_with = "550 5.1.1 Onbekend"
    mailer = SmtpMailer("127.0.0.1", smtp_sink.port, tls=SmtpTls.NONE, tracer=provider.get_tracer("test"))

    outcome = await mailer.send(mail("<span-2@klachtspoor>"), **ENVELOPE)

    assert isinstance(outcome, Failed) and outcome.permanent
    [span] = exporter.get_finished_spans()
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes is not None and span.attributes["email.failure.permanent"] is True
