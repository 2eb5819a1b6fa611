"""The JetStream side: one durable pull consumer (``escalation``) on the subjects of the event types that
trigger decisions, in the relay's stream. A body that is not a relayed event is rejected at once (FastStream
logs it): no number of retries will make it readable.
"""

# No ``from __future__ import annotations`` here: FastStream reads the handler's annotations at runtime,
# and the dependency there is a local closure.
import logging
from collections.abc import Callable, Sequence
from typing import Annotated

from faststream import Depends
from faststream.middlewares import AckPolicy
from faststream.nats import JStream, NatsBroker, NatsMessage, PullSub
from faststream.nats.opentelemetry import NatsTelemetryMiddleware
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig
from opentelemetry.trace import TracerProvider

from klachtspoor.relay import RelayedEvent, stream_config
from klachtspoor.relay.concurrency import StreamTurns
from klachtspoor.relay.message import SUBJECT_ROOT
from klachtspoor.retry import NATS_RECONNECT_ATTEMPTS
from services.escalation.entrypoints.consumer import CaseEventConsumer

DURABLE = "escalation"
TRIGGERS = ("SignalReceived",)
"""Event types that may call for a decision; each is a filter subject ``klachtspoor.<tenant>.<Type>``."""


class ConsumerMisconfigured(RuntimeError):
    """The server kept other filter subjects for the durable consumer than the service needs."""


def filter_subjects(tenant: str = "*", triggers: Sequence[str] = TRIGGERS) -> list[str]:
    return [f"{SUBJECT_ROOT}.{tenant}.{event_type}" for event_type in triggers]


def consumer_config(durable: str, subjects: Sequence[str], *, ack_wait: float = 30.0) -> ConsumerConfig:
    """One subject goes in ``filter_subject`` (every NATS 2.x); several need ``filter_subjects`` (2.10+).

    ``max_deliver`` is unlimited on the server: the consumer counts deliveries itself and parks, so a
    message is never dropped by the server without a record.
    """
    single = len(subjects) == 1
    return ConsumerConfig(
        name=durable,
        durable_name=durable,
        filter_subject=subjects[0] if single else None,
        filter_subjects=None if single else list(subjects),
        ack_wait=ack_wait,
        max_deliver=-1,
    )


async def ensure_consumer(js: JetStreamContext, stream: str, config: ConsumerConfig) -> None:
    """Create the durable consumer, or update its filter when the triggers changed; check the result."""
    info = await js.add_consumer(stream, config)
    wanted = _filters(config)
    if _filters(info.config) != wanted:
        raise ConsumerMisconfigured(
            f"Durable consumer {config.durable_name} on stream {stream} filters {_filters(info.config)}, "
            f"expected {wanted} (several filter subjects need NATS server 2.10 or newer)"
        )


def _filters(config: ConsumerConfig) -> list[str]:
    return sorted(config.filter_subjects or ([config.filter_subject] if config.filter_subject else []))


def build_broker(
    nats_url: str,
    consumer: Callable[[], CaseEventConsumer],
    config: ConsumerConfig,
    *,
    stream: str,
    tracer_provider: TracerProvider | None = None,
    batch_size: int = 16,
    workers: int = 8,
) -> NatsBroker:
    """The broker with the escalation subscriber; ``consumer`` is called per message (set up at start).

    ``workers`` messages are handled at once, those of one case one after the other
    (:mod:`klachtspoor.relay.concurrency`).

    Nothing connects here. Neither stream nor consumer is declared by FastStream: the caller runs
    :func:`klachtspoor.relay.ensure_stream` and :func:`ensure_consumer` after connecting, so the relay and
    the consumers agree on the stream's settings and a changed filter reaches an existing durable.
    """
    durable = config.durable_name or DURABLE
    broker = NatsBroker(
        nats_url,
        name=f"klachtspoor-{durable}",
        max_reconnect_attempts=NATS_RECONNECT_ATTEMPTS,
        logger=logging.getLogger("services.escalation.faststream"),
        log_level=logging.DEBUG,  # FastStream's per-message lines; the consumer logs what it appended
        middlewares=[NatsTelemetryMiddleware(tracer_provider=tracer_provider)],
    )
    declared = stream_config(stream)
    turns = StreamTurns()

    def provide() -> CaseEventConsumer:
        return consumer()

    @broker.subscriber(
        config.filter_subject or "",
        config=config,
        durable=durable,
        stream=JStream(
            name=stream,
            subjects=list(declared.subjects or ()),
            storage=declared.storage,
            duplicate_window=declared.duplicate_window or 0,
            declare=False,
        ),
        pull_sub=PullSub(batch_size=batch_size, timeout=1.0),
        max_workers=workers,
        ack_policy=AckPolicy.REJECT_ON_ERROR,
        title=f"{durable}: case events that call for a decision",
        description="Committed case events relayed from the event store; each one means 'this case changed'.",
    )
    async def on_case_event(
        event: RelayedEvent,
        msg: NatsMessage,
        handler: Annotated[CaseEventConsumer, Depends(provide)],
    ) -> None:
        async with turns.of(event.stream):
            await handler.consume(event, msg.raw_message.metadata.num_delivered)

    return broker
