"""Notify in-process against real PostgreSQL, NATS JetStream (with the real relay) and an SMTP sink."""

from __future__ import annotations

from datetime import timedelta

from nats.js import JetStreamContext
from notify_helpers import (
    DUE_ON,
    EMAIL,
    NAME,
    ORGANISATION,
    REFERENCE,
    TRACEPARENT,
    StartNotify,
    outcomes,
    read_mail,
    registry,
    request_notification,
    wait_for,
    wait_for_outcomes,
)

from contracts.events import NotificationFailed, NotificationParked, NotificationSent
from klachtspoor.cases import CaseRepository
from klachtspoor.relay import STREAM_NAME, Relay
from klachtspoor_devtools.devstack.smtp import MailSink
from services.notify.application.delivery import Cause


async def test_a_requested_acknowledgement_is_mailed_once_and_recorded_as_sent(
    repository: CaseRepository, relay: Relay, start_notify: StartNotify, smtp_sink: MailSink, tenant: str
) -> None:
    await start_notify()
    requested = await request_notification(repository, tenant)

    recorded = await wait_for_outcomes(repository, requested.stream, "NotificationSent")

    assert [e.type for e in recorded] == ["NotificationSent"]
    sent = recorded[0]
    assert isinstance(sent.event, NotificationSent)
    assert sent.event.notification_id == requested.notification_id
    assert (sent.event.attempt, sent.event.message_id) == (1, requested.message_id)
    assert sent.causation_id == requested.request.event_id
    assert sent.correlation_id == requested.request.correlation_id
    assert (sent.actor.id, sent.actor.role) == ("notify", "system")
    assert sent.traceparent is not None
    assert sent.traceparent.split("-")[1] == TRACEPARENT.split("-")[1]  # the request's trace continues

    [path] = smtp_sink.mails()
    assert smtp_sink.deliveries() == {requested.message_id: 1}
    mail = read_mail(path)
    assert mail["Message-ID"] == requested.message_id
    assert mail["To"].addresses[0].addr_spec == EMAIL
    assert REFERENCE in mail["Subject"]
    text = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert text is not None and html is not None
    body = text.get_content()
    for expected in (
        f"Beste {NAME},",
        REFERENCE,
        ORGANISATION,
        "Uiterlijk op 9 maart 2026 volgt het eerste contact met u.",  # the term the case started
        # the pinned policy's confidant (SO! Trainingsbureau: the AKJ) and its next step
        "Een vertrouwenspersoon van Vertrouwenswerk Jeugdzorg Drenthe (AKJ en Zorgbelang Drenthe)",
        "088 555 1000",
        "info@akj.nl",
        "de volgende stap: Contact met de leidinggevende van de mentor.",
    ):
        assert expected in body, expected
    assert f"{DUE_ON.day} maart" in html.get_content()


async def test_temporary_smtp_failures_follow_the_schedule_and_end_parked_when_attempts_are_capped(
    repository: CaseRepository, relay: Relay, start_notify: StartNotify, smtp_sink: MailSink, tenant: str
) -> None:
    delays = (0.05, 0.1)
    smtp_sink.reject_with = "451 4.3.0 Probeer het later opnieuw"
    await start_notify(notify_retry_delays=delays, notify_max_attempts=3)
    requested = await request_notification(repository, tenant)

    recorded = await wait_for_outcomes(repository, requested.stream, "NotificationParked")

    assert [e.type for e in recorded] == [*["NotificationFailed"] * 3, "NotificationParked"]
    failures = [e.event for e in recorded[:3]]
    assert all(isinstance(f, NotificationFailed) for f in failures)
    assert [f.attempt for f in failures if isinstance(f, NotificationFailed)] == [1, 2, 3]
    for envelope, delay in zip(recorded[:2], delays, strict=True):
        assert isinstance(envelope.event, NotificationFailed)
        assert envelope.event.next_attempt_at == envelope.occurred_at + timedelta(seconds=delay)
        assert "451" in envelope.event.error
    last = recorded[2].event
    assert isinstance(last, NotificationFailed) and last.next_attempt_at is None
    parked = recorded[3].event
    assert isinstance(parked, NotificationParked) and parked.attempts == 3
    assert smtp_sink.mails() == []


async def test_a_due_retry_sends_the_mail_after_a_temporary_failure(
    repository: CaseRepository, relay: Relay, start_notify: StartNotify, smtp_sink: MailSink, tenant: str
) -> None:
    smtp_sink.reject_with = "421 4.7.0 Te druk"
    await start_notify(notify_retry_delays=(1.0,))
    requested = await request_notification(repository, tenant)
    await wait_for_outcomes(repository, requested.stream, "NotificationFailed")
    smtp_sink.reject_with = None

    recorded = await wait_for_outcomes(repository, requested.stream, "NotificationSent")

    assert [e.type for e in recorded] == ["NotificationFailed", "NotificationSent"]
    assert isinstance(recorded[1].event, NotificationSent) and recorded[1].event.attempt == 2
    assert recorded[1].causation_id == recorded[0].event_id  # the failure drove the retry
    assert smtp_sink.deliveries() == {requested.message_id: 1}


async def test_a_permanent_smtp_failure_parks_at_once(
    repository: CaseRepository, relay: Relay, start_notify: StartNotify, smtp_sink: MailSink, tenant: str
) -> None:
    smtp_sink.reject_with = "550 5.1.1 Onbekende ontvanger"
    await start_notify()
    requested = await request_notification(repository, tenant)

    recorded = await wait_for_outcomes(repository, requested.stream, "NotificationParked")

    assert [e.type for e in recorded] == ["NotificationFailed", "NotificationParked"]
    failed, parked = recorded[0].event, recorded[1].event
    assert isinstance(failed, NotificationFailed) and failed.next_attempt_at is None
    assert isinstance(parked, NotificationParked) and "550" in parked.reason


async def test_a_complainant_without_address_is_parked_without_sending(
    repository: CaseRepository, relay: Relay, start_notify: StartNotify, smtp_sink: MailSink, tenant: str
) -> None:
    await start_notify()
    requested = await request_notification(repository, tenant, email=None)

    recorded = await wait_for_outcomes(repository, requested.stream, "NotificationParked")

    assert [e.type for e in recorded] == ["NotificationParked"]
    assert isinstance(recorded[0].event, NotificationParked)
    assert "e-mail" in recorded[0].event.reason
    assert smtp_sink.deliveries() == {}


async def test_a_stored_list_of_addresses_is_parked_and_never_mailed(
    repository: CaseRepository, relay: Relay, start_notify: StartNotify, smtp_sink: MailSink, tenant: str
) -> None:
    """A case stored before intake checked addresses (or by another writer): decoded from the store with
    a comma list, it is parked with a reason naming the rule, and no mail reaches any of them."""
    await start_notify()
    requested = await request_notification(repository, tenant, email="a@x.nl, b@y.nl, c@z.nl")

    recorded = await wait_for_outcomes(repository, requested.stream, "NotificationParked")

    assert [e.type for e in recorded] == ["NotificationParked"]
    parked = recorded[0].event
    assert isinstance(parked, NotificationParked)
    assert "not exactly one valid address" in parked.reason and "x.nl" not in parked.reason
    assert smtp_sink.deliveries() == {}


async def test_a_redelivered_or_replayed_request_sends_no_second_mail(
    repository: CaseRepository,
    relay: Relay,
    start_notify: StartNotify,
    smtp_sink: MailSink,
    tenant: str,
    js: JetStreamContext,
) -> None:
    service = await start_notify()
    requested = await request_notification(repository, tenant)
    await wait_for_outcomes(repository, requested.stream, "NotificationSent")

    # The same event again on the bus (as after a relay restart past the duplicate window) ...
    recorded = await repository.store.read_stream(requested.stream, from_version=2, limit=1)
    info = await js.stream_info(STREAM_NAME)
    await js.publish(
        f"klachtspoor.{tenant}.NotificationRequested",
        (await _relayed(recorded[0])).encode(),
        stream=STREAM_NAME,
        headers={"Nats-Msg-Id": f"replay-{requested.request.event_id}"},
    )

    async def consumed() -> bool:
        consumer = await js.consumer_info(STREAM_NAME, service.settings.notify_durable)
        return (
            consumer.delivered.stream_seq is not None
            and consumer.delivered.stream_seq > (info.state.last_seq or 0)
            and consumer.num_pending == 0
            and consumer.num_ack_pending == 0
        )

    await wait_for(consumed, what="the replayed message to be acknowledged")
    # ... and the same request handled directly, as a redelivery in the crash window would be.
    cause = Cause(
        event_id=requested.request.event_id,
        correlation_id=requested.request.correlation_id,
        tenant=tenant,
        stream=requested.stream,
        case_id=requested.case_id,
        notification_id=requested.notification_id,
        attempt=1,
    )
    handled = await service.deliverer().handle(cause)

    assert handled.retry_in is None
    assert smtp_sink.deliveries() == {requested.message_id: 1}
    assert [e.type for e in await outcomes(repository, requested.stream)] == ["NotificationSent"]


async def _relayed(recorded: object) -> str:
    from klachtspoor.relay import RelayedEvent

    assert recorded is not None
    return RelayedEvent.of(recorded).model_dump_json()  # type: ignore[arg-type]


async def test_a_message_that_keeps_failing_is_parked_with_its_error(
    repository: CaseRepository, relay: Relay, start_notify: StartNotify, smtp_sink: MailSink, tenant: str
) -> None:
    await start_notify(tenants=registry("another-tenant"), notify_poison_after=2)
    requested = await request_notification(repository, tenant)

    recorded = await wait_for_outcomes(repository, requested.stream, "NotificationParked")

    assert [e.type for e in recorded] == ["NotificationParked"]
    assert isinstance(recorded[0].event, NotificationParked)
    assert "UnknownTenant" in recorded[0].event.reason
    assert smtp_sink.deliveries() == {}
