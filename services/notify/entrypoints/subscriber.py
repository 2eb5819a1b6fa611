"""The JetStream pull subscriber: relayed ``NotificationRequested``, ``NotificationFailed`` and
``NotificationRetryRequested`` events (an operator's retry of a parked notification).

A message only means "look at this notification of this case": the handler turns it into a
:class:`~services.notify.application.delivery.Cause` and leaves the rest to the :class:`Deliverer`. It
acknowledges only after the outcome was appended; a retry that is not due yet is a negative acknowledgement
with that delay (JetStream keeps the message, so a due retry survives a restart). A delivery that raises is
redelivered with a growing delay. An outage (event store, key store, NATS: :func:`is_transient`) is waited out
for as long as it lasts: the consumer has no ``max_deliver``, and nothing is parked for it. Any other error
that is still raised at the ``notify_poison_after``-th delivery parks the notification with the error and
terminates the message, so a poison message never blocks the others; when parking itself fails (it needs the
store), the message comes back later.

(No ``from __future__ import annotations`` here: FastStream resolves the handler's annotations, and one
of them names the local ``deliverer`` provider.)
"""

import logging
from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

from faststream import Depends
from faststream.middlewares import AckPolicy
from faststream.nats import JStream, NatsBroker, PullSub
from faststream.nats.annotations import NatsMessage
from nats.js.api import AckPolicy as JsAckPolicy
from nats.js.api import ConsumerConfig

from klachtspoor.relay import RelayedEvent
from klachtspoor.relay.concurrency import StreamTurns
from klachtspoor.relay.message import SUBJECT_ROOT
from klachtspoor.retry import Backoff, is_transient
from services.notify.application.delivery import Cause, Deliverer
from services.notify.settings import NotifySettings

log = logging.getLogger(__name__)

WATCHED = ("NotificationRequested", "NotificationFailed", "NotificationRetryRequested")


def filter_subjects(settings: NotifySettings) -> list[str]:
    return [f"{SUBJECT_ROOT}.{settings.notify_tenant_filter}.{event_type}" for event_type in WATCHED]


def cause_of(event: RelayedEvent) -> Cause:
    """The ids an attempt needs, from the relayed envelope (none of them is personal data)."""
    if event.type not in WATCHED:
        raise ValueError(
            f"Notify does not handle {event.type} (event {event.event_id}, stream {event.stream})"
        )
    match event.type:
        case "NotificationRequested":
            attempt = 1
        case "NotificationFailed":
            attempt = int(event.data["attempt"]) + 1
        case _:  # an operator's retry names the attempt it starts
            attempt = int(event.data["attempt"])
    return Cause(
        event_id=event.event_id,
        correlation_id=UUID(str(event.metadata["correlation_id"])),
        tenant=event.tenant,
        stream=event.stream,
        case_id=UUID(str(event.metadata["case_id"])),
        notification_id=UUID(str(event.data["notification_id"])),
        attempt=attempt,
    )


def register(broker: NatsBroker, settings: NotifySettings, deliverer: Callable[[], Deliverer]) -> Any:
    """Add the subscriber to ``broker``; ``deliverer`` is called per message (it exists once started).

    ``notify_workers`` messages are handled at once, those of one case one after the other
    (:mod:`klachtspoor.relay.concurrency`): a mail's wait for the SMTP server no longer holds up the fetch.
    """
    config = ConsumerConfig(
        filter_subjects=filter_subjects(settings),
        ack_policy=JsAckPolicy.EXPLICIT,
        ack_wait=settings.notify_ack_wait,
        max_deliver=-1,  # the server never drops a message: parking is decided here, with a record
    )
    backoff = Backoff(settings.retry_initial, settings.retry_max)
    turns = StreamTurns()
    subscriber = broker.subscriber(
        config=config,
        durable=settings.notify_durable,
        stream=JStream(settings.notify_stream, declare=False),
        pull_sub=PullSub(batch_size=settings.notify_batch_size, timeout=1.0),
        max_workers=settings.notify_workers,
        ack_policy=AckPolicy.MANUAL,
        title="notify",
    )

    @subscriber
    async def on_notification_event(
        event: RelayedEvent,
        message: NatsMessage,
        current: Annotated[Deliverer, Depends(deliverer)],
    ) -> None:
        async with turns.of(event.stream):
            await _handle(event, message, current)

    async def _handle(event: RelayedEvent, message: NatsMessage, current: Deliverer) -> None:
        delivered = message.raw_message.metadata.num_delivered or 1
        fields = {"ks_event_id": str(event.event_id), "ks_stream": event.stream, "ks_delivered": delivered}
        try:
            cause = cause_of(event)
        except (KeyError, ValueError) as error:
            log.error("Dropping a message notify cannot read: %s", error, extra=fields)
            await message.reject()
            return
        try:
            handled = await current.handle(cause)
        except Exception as error:
            if is_transient(error) or delivered < settings.notify_poison_after:
                delay = backoff.delay(delivered)
                log.warning("Handling failed; redelivery in %.1f s", delay, exc_info=error, extra=fields)
                await message.nack(delay=delay)
                return
            log.error(
                "Handling failed %d times: parking the notification", delivered, exc_info=error, extra=fields
            )
            try:
                await current.park_poison(cause, error)
            except Exception as parking_error:
                delay = backoff.maximum
                log.warning(
                    "Parking failed; redelivery in %.1f s", delay, exc_info=parking_error, extra=fields
                )
                await message.nack(delay=delay)
                return
            await message.reject()
            return
        if handled.retry_in is None:
            await message.ack()
        else:
            await message.nack(delay=handled.retry_in)

    return subscriber
