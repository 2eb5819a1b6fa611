"""The relay: tails the global log and publishes every committed event to NATS JetStream.

It is a reactor whose idempotency ledger is JetStream itself: each message carries ``Nats-Msg-Id`` = event
id, so an event published again after a crash (published, acknowledged, checkpoint not yet written) is
dropped by the server within the duplicate window. The checkpoint moves only after every event of a batch
has been acknowledged; the batch's publishes are in flight together, so acks are awaited once per batch.

Failures that say nothing about the event (timeouts, connection loss, a missing stream) are retried
without limit, because parking would hide good events from every consumer. An event refused for what it
is (too large, not encodable) is retried a few times and then parked like in any other subscriber.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import asyncpg
import nats.errors
import nats.js.errors
import pydantic
from faststream.nats import NatsBroker
from nats.js.api import PubAck
from opentelemetry import trace

from klachtspoor import pgconnect
from klachtspoor.eventstore.port import START, EventStore, Position, RecordedEvent
from klachtspoor.relay.message import RelayedEvent, headers_for, subject_for
from klachtspoor.relay.stream import STREAM_NAME, StreamLimits, ensure_stream
from klachtspoor.subscriptions import (
    Reactor,
    RetryPolicy,
    apply_schema,
    load_checkpoint,
    save_checkpoint,
    tables,
)
from klachtspoor.subscriptions.feed import Feed
from klachtspoor.subscriptions.handling import event_fields
from klachtspoor.subscriptions.parked import retry_requested
from klachtspoor.telemetry import context_from_traceparent, current_traceparent, traceparent_from_metadata

log = logging.getLogger(__name__)

EVENT_ERRORS = (
    nats.errors.MaxPayloadError,
    nats.errors.BadSubjectError,
    nats.errors.BadHeaderError,
    pydantic.ValidationError,
    TypeError,
    ValueError,
)
"""Errors caused by the event itself (size, encoding): retried a few times, then the event is parked.

Everything else (timeouts, connection loss, a missing or misconfigured stream) says nothing about the
event and is retried without limit: parking would hide good events from every consumer."""

_MESSAGE_TOO_LARGE = 10054  # JetStream API error code: message size exceeds the stream's maximum


class Relay:
    """``await relay.run()`` publishes until :meth:`stop`; ``broker`` must be connected."""

    def __init__(
        self,
        store: EventStore,
        database_url: str,
        broker: NatsBroker,
        *,
        name: str = "relay",
        stream: str = STREAM_NAME,
        batch_size: int = 256,
        ack_timeout: float = 5.0,
        retry: RetryPolicy | None = None,
        retry_poll_interval: float = 1.0,
        limits: StreamLimits | None = None,
        tracer_provider: trace.TracerProvider | None = None,
    ) -> None:
        self._store = store
        self._tracer = trace.get_tracer("klachtspoor.relay", tracer_provider=tracer_provider)
        self._url = database_url
        self._broker = broker
        self._stream = stream
        self._limits = limits or StreamLimits()
        self._batch_size = batch_size
        self._ack_timeout = ack_timeout
        self._retry = retry or RetryPolicy(attempts=5, backoff=0.2, max_backoff=10.0)
        self._poll = retry_poll_interval
        self._reactor = Reactor(name, self._publish_one)
        self._stop = asyncio.Event()
        self._progress = asyncio.Condition()
        self._checkpoint = START
        self._finished = False
        self.published = 0
        self.duplicates = 0

    @property
    def name(self) -> str:
        return self._reactor.name

    @property
    def checkpoint(self) -> Position:
        return self._checkpoint

    def stop(self) -> None:
        """Finish the batch in flight (acks and checkpoint), then return from :meth:`run`."""
        self._stop.set()

    async def wait_until(self, position: Position) -> None:
        async with self._progress:
            await self._progress.wait_for(lambda: self._finished or self._checkpoint >= position)
        if self._checkpoint < position:
            raise RuntimeError(f"Relay stopped at checkpoint {self._checkpoint} before reaching {position}")

    async def run(self) -> None:
        conn = await pgconnect.connect(self._url)
        try:
            await apply_schema(conn)
            await ensure_stream(self._broker.connection.jetstream(), self._stream, self._limits)
            await self._set_checkpoint(await load_checkpoint(conn, self.name))
            log.info(
                "Relay starting after checkpoint %s", self._checkpoint, extra={"ks_subscriber": self.name}
            )
            await self._loop(conn)
        except Exception:
            log.exception(
                "Relay failed at checkpoint %s; it resumes there when restarted",
                self._checkpoint,
                extra={"ks_subscriber": self.name, "ks_position": str(self._checkpoint)},
            )
            raise
        finally:
            self._finished = True
            await conn.close()
            await self._set_checkpoint(self._checkpoint)
            log.info("Relay stopped at checkpoint %s", self._checkpoint, extra={"ks_subscriber": self.name})

    async def _loop(self, conn: asyncpg.Connection) -> None:
        loop = asyncio.get_running_loop()
        next_poll = 0.0
        async with Feed(
            self._store, after=self._checkpoint, filter=None, read_batch=1000, buffer=4000
        ) as feed:
            while not self._stop.is_set():
                if loop.time() >= next_poll:
                    await retry_requested(conn, self._store, self._reactor)
                    next_poll = loop.time() + self._poll
                batch = await feed.next_batch(self._batch_size, max_wait=self._poll, interrupt=self._stop)
                if batch:
                    await self._publish_batch(conn, batch)
                    await save_checkpoint(conn, self.name, batch[-1].position)
                    await self._set_checkpoint(batch[-1].position)

    async def _publish_batch(self, conn: asyncpg.Connection, batch: Sequence[RecordedEvent]) -> None:
        """Publish all, await all acks; retry the unacknowledged ones until each is acked or parked."""
        pending = list(batch)
        failures: dict[object, int] = {}
        while pending:
            results = await asyncio.gather(
                *(self._publish_one(event) for event in pending), return_exceptions=True
            )
            still: list[RecordedEvent] = []
            for event, result in zip(pending, results, strict=True):
                if not isinstance(result, BaseException):
                    continue
                if not isinstance(result, Exception):
                    raise result
                if _is_about_the_event(result):
                    failures[event.event_id] = failures.get(event.event_id, 0) + 1
                    if failures[event.event_id] >= self._retry.attempts:
                        await tables.park(conn, self.name, event, result, failures[event.event_id])
                        log.error(
                            "Parked event the server refuses (%s: %s)",
                            tables.error_type_name(result),
                            result,
                            exc_info=result,
                            extra=event_fields(self.name, event),
                        )
                        continue
                still.append(event)
            if still:
                attempt = max(failures.get(e.event_id, 1) for e in still)
                await self._back_off(still, results, attempt)
            pending = still

    async def _back_off(
        self, failed: Sequence[RecordedEvent], results: Sequence[object], attempt: int
    ) -> None:
        first = next(r for r in results if isinstance(r, Exception))
        delay = self._retry.delay(attempt)
        log.warning(
            "Publishing %d events failed (%s: %s); retrying in %.2f s",
            len(failed),
            tables.error_type_name(first),
            first,
            delay,
            exc_info=first,
            extra=event_fields(self.name, failed[0]),
        )
        if isinstance(first, nats.errors.NoRespondersError):
            await ensure_stream(self._broker.connection.jetstream(), self._stream, self._limits)  # deleted
        await asyncio.sleep(delay)

    async def _publish_one(self, event: RecordedEvent) -> None:
        """Publish one event; an event that carries a trace gets a producer span in it, so the trace
        runs from the request through the relay into every consumer."""
        parent = traceparent_from_metadata(event.metadata)
        if parent is None:
            ack = await self._publish(event, headers_for(event))
        else:
            with self._tracer.start_as_current_span(
                f"{subject_for(event)} publish",
                context=context_from_traceparent(parent),
                kind=trace.SpanKind.PRODUCER,
                attributes={"messaging.system": "nats", "messaging.message.id": str(event.event_id)},
            ):
                ack = await self._publish(event, headers_for(event, current_traceparent()))
        if ack.duplicate:
            self.duplicates += 1
        else:
            self.published += 1

    async def _publish(self, event: RecordedEvent, headers: dict[str, str]) -> PubAck:
        ack: PubAck = await self._broker.publish(
            RelayedEvent.of(event),
            subject_for(event),
            headers=headers,
            correlation_id=str(event.event_id),
            stream=self._stream,
            timeout=self._ack_timeout,
        )
        return ack

    async def _set_checkpoint(self, position: Position) -> None:
        async with self._progress:
            self._checkpoint = position
            self._progress.notify_all()


def _is_about_the_event(error: Exception) -> bool:
    if isinstance(error, nats.js.errors.APIError):
        return error.err_code == _MESSAGE_TOO_LARGE
    return isinstance(error, EVENT_ERRORS)
