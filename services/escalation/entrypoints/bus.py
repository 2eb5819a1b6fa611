"""The JetStream consumer: committed case events in, commands to the workflow out.

One durable pull consumer (``escalation``) on the subjects of the events that trigger decisions. A message
is acknowledged only after the append (or after deciding there is nothing to append); a failure is
redelivered with a growing delay; after ``max_deliver`` deliveries the event is parked with its error and
the message terminated, so a poison event never blocks the others. A body that is not a relayed event is
rejected at once (FastStream logs it): no number of retries will make it readable.
"""

# No ``from __future__ import annotations`` here: FastStream reads the handler's annotations at runtime,
# and the dependency there is a local closure.
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated, NoReturn, Protocol
from uuid import UUID

from faststream import Depends
from faststream.exceptions import NackMessage, RejectMessage
from faststream.middlewares import AckPolicy
from faststream.nats import JStream, NatsBroker, NatsMessage, PullSub
from faststream.nats.opentelemetry import NatsTelemetryMiddleware
from nats.js.api import ConsumerConfig
from opentelemetry.trace import TracerProvider

from klachtspoor.relay import STREAM_NAME, RelayedEvent, stream_config
from klachtspoor.relay.message import SUBJECT_ROOT
from klachtspoor.subscriptions import RetryPolicy
from services.escalation.adapters.cases import CaseWorkflow
from services.escalation.domain import AcknowledgeSignal, Command

log = logging.getLogger(__name__)

DURABLE = "escalation"
TRIGGERS = ("SignalReceived",)
"""Event types that may call for a decision; each is a filter subject ``klachtspoor.<tenant>.<Type>``."""

Clock = Callable[[], datetime]


class UnexpectedEvent(ValueError):
    """A message of a type (or with metadata) the consumer cannot turn into a command."""


class Parking(Protocol):
    async def park(self, event: RelayedEvent, error: BaseException, attempts: int) -> None: ...


def filter_subjects(tenant: str = "*", triggers: Sequence[str] = TRIGGERS) -> list[str]:
    return [f"{SUBJECT_ROOT}.{tenant}.{event_type}" for event_type in triggers]


def command_for(event: RelayedEvent, now: datetime) -> Command:
    """The command a committed event calls for; the event's own id becomes the cause of what follows."""
    match event.type:
        case "SignalReceived":
            return AcknowledgeSignal(
                tenant=event.tenant,
                case_id=_metadata_uuid(event, "case_id"),
                causation_event_id=event.event_id,
                correlation_id=_metadata_uuid(event, "correlation_id"),
                now=now,
            )
        case _:
            raise UnexpectedEvent(f"No command for event type {event.type} (event {event.event_id})")


def _metadata_uuid(event: RelayedEvent, key: str) -> UUID:
    try:
        return UUID(str(event.metadata[key]))
    except (KeyError, ValueError):
        raise UnexpectedEvent(
            f"Event {event.event_id} ({event.type}, Stream: {event.stream}) has no valid {key} in metadata"
        ) from None


class CaseEventConsumer:
    """Handles one relayed event: command, workflow, and the fate of the message when that fails."""

    def __init__(
        self,
        workflow: CaseWorkflow,
        parking: Parking,
        clock: Clock,
        *,
        max_deliver: int = 5,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.workflow, self.parking, self.clock = workflow, parking, clock
        self.max_deliver = max_deliver
        self.retry = retry or RetryPolicy(attempts=max_deliver, backoff=0.5, max_backoff=30.0)

    async def consume(self, event: RelayedEvent, delivered: int) -> None:
        """Returns when the message may be acknowledged; raises FastStream's nack or reject otherwise."""
        fields = _log_fields(event, delivered)
        try:
            outcome = await self.workflow.handle(command_for(event, self.clock()))
        except Exception as error:
            await self._failed(event, delivered, error, fields)
        if outcome.appended:
            log.info("Appended %s", ", ".join(outcome.appended), extra=fields)

    async def _failed(
        self, event: RelayedEvent, delivered: int, error: Exception, fields: dict[str, object]
    ) -> NoReturn:
        if delivered < self.max_deliver:
            delay = self.retry.delay(delivered)
            log.warning(
                "Handling failed (%s: %s); redelivery in %.1f s",
                type(error).__name__,
                error,
                delay,
                exc_info=error,
                extra=fields,
            )
            raise NackMessage(delay=delay) from error
        try:
            await self.parking.park(event, error, delivered)
        except Exception as parking_error:
            log.exception("Parking failed; the message will be redelivered", extra=fields)
            raise NackMessage(delay=self.retry.max_backoff) from parking_error
        log.error(
            "Parked after %d deliveries (%s: %s)",
            delivered,
            type(error).__name__,
            error,
            exc_info=error,
            extra=fields,
        )
        raise RejectMessage() from error


def _log_fields(event: RelayedEvent, delivered: int) -> dict[str, object]:
    return {
        "ks_subscriber": DURABLE,
        "ks_event_id": str(event.event_id),
        "ks_event_type": event.type,
        "ks_stream": event.stream,
        "ks_delivered": delivered,
    }


def build_broker(
    nats_url: str,
    consumer: Callable[[], CaseEventConsumer],
    *,
    tracer_provider: TracerProvider | None = None,
    durable: str = DURABLE,
    tenant: str = "*",
    stream: str = STREAM_NAME,
    batch_size: int = 16,
    ack_wait: float = 30.0,
) -> NatsBroker:
    """The broker with the escalation subscriber; ``consumer`` is called per message (set up at start).

    Nothing connects here. The stream is not declared by FastStream: the caller runs
    :func:`klachtspoor.relay.ensure_stream` after connecting, so relay and consumers agree on its settings.
    """
    broker = NatsBroker(
        nats_url,
        name=f"klachtspoor-{durable}",
        logger=logging.getLogger("services.escalation.faststream"),
        middlewares=[NatsTelemetryMiddleware(tracer_provider=tracer_provider)],
    )
    config = stream_config(stream)

    def provide() -> CaseEventConsumer:
        return consumer()

    @broker.subscriber(
        config=ConsumerConfig(
            durable_name=durable,
            filter_subjects=filter_subjects(tenant),
            ack_wait=ack_wait,
            max_deliver=-1,
        ),
        durable=durable,
        stream=JStream(
            name=stream,
            subjects=list(config.subjects or ()),
            storage=config.storage,
            duplicate_window=config.duplicate_window or 0,
            declare=False,
        ),
        pull_sub=PullSub(batch_size=batch_size, timeout=1.0),
        ack_policy=AckPolicy.REJECT_ON_ERROR,
        title=f"{durable}: case events that call for a decision",
        description="Committed case events relayed from the event store; each one means 'this case changed'.",
    )
    async def on_case_event(
        event: RelayedEvent,
        msg: NatsMessage,
        handler: Annotated[CaseEventConsumer, Depends(provide)],
    ) -> None:
        await handler.consume(event, msg.raw_message.metadata.num_delivered)

    return broker
