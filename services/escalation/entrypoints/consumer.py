"""One relayed event in, one command to the workflow out, and what becomes of the message when that fails.

The message is acknowledged only after the append (or after deciding there is nothing to append); a
failure is redelivered with a growing delay. An outage (event store, key store, NATS: :func:`is_transient`)
is redelivered for as long as it lasts and never parked: the event is good, the infrastructure is away.
Any other failure still raised at the ``max_deliver``-th delivery parks the event with its error and
terminates the message, so a poison event never blocks the others. Parking that fails leaves the message
to be redelivered: nothing is dropped without a record.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import NoReturn, Protocol
from uuid import UUID

from faststream.exceptions import NackMessage, RejectMessage

from klachtspoor.eventstore.port import RecordedEvent
from klachtspoor.relay import RelayedEvent
from klachtspoor.retry import RetryPolicy, is_transient
from services.escalation.application.cases import CaseWorkflow
from services.escalation.domain import AcknowledgeSignal, Reaction

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class UnexpectedEvent(ValueError):
    """A message whose metadata the consumer cannot turn into a command."""


class Parking(Protocol):
    async def park(self, event: RelayedEvent, error: BaseException, attempts: int) -> None: ...


def command_for(event: RelayedEvent, now: datetime) -> Reaction | None:
    """The command a committed event calls for (None: nothing to decide); the event is the cause."""
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
            return None


def _metadata_uuid(event: RelayedEvent, key: str) -> UUID:
    try:
        return UUID(str(event.metadata[key]))
    except (KeyError, ValueError):
        raise UnexpectedEvent(
            f"Event {event.event_id} ({event.type}, Stream: {event.stream}) has no valid {key} in metadata"
        ) from None


class CaseEventConsumer:
    def __init__(
        self,
        workflow: CaseWorkflow,
        parking: Parking,
        clock: Clock,
        *,
        name: str,
        max_deliver: int = 5,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.workflow, self.parking, self.clock, self.name = workflow, parking, clock, name
        self.max_deliver = max_deliver
        self.retry = retry or RetryPolicy(attempts=max_deliver, backoff=0.5, max_backoff=30.0)

    async def consume(self, event: RelayedEvent, delivered: int) -> None:
        """Returns when the message may be acknowledged; raises FastStream's nack or reject otherwise."""
        fields = self._log_fields(event, delivered)
        try:
            command = command_for(event, self.clock())
            if command is None:
                log.debug("Nothing to decide for %s", event.type, extra=fields)
                return
            outcome = await self.workflow.handle(command)
        except Exception as error:
            await self._failed(event, delivered, error, fields)
        if outcome.appended:
            log.info("Appended %s", ", ".join(outcome.appended), extra=fields)

    async def _failed(
        self, event: RelayedEvent, delivered: int, error: Exception, fields: dict[str, object]
    ) -> NoReturn:
        if is_transient(error) or delivered < self.max_deliver:
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

    async def handle_parked(self, event: RecordedEvent) -> None:
        """Handle a parked event once more (on request); raises when it fails again."""
        command = command_for(RelayedEvent.of(event), self.clock())
        if command is not None:
            await self.workflow.handle(command)

    def _log_fields(self, event: RelayedEvent, delivered: int) -> dict[str, object]:
        return {
            "ks_subscriber": self.name,
            "ks_event_id": str(event.event_id),
            "ks_event_type": event.type,
            "ks_stream": event.stream,
            "ks_delivered": delivered,
        }
