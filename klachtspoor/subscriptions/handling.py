"""Handling batches of events for one subscriber: transactions, retries with backoff, parking.

Every state change (read-model writes, ledger row, parked row) is committed together with the checkpoint
that covers it, so a crash or a cancellation at any await leaves either all of it or none of it.

Spans (docs/observability.md): a reactor's effect on an event is a span of its own in the event's trace.
A projection's batch is one span, in the trace of its first event and linked to the traces of the
others: the projections see every event, and a span for each few rows written is a cost on every event.
When a batch fails, its events are handled one by one, each in a span of its own again.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager

import asyncpg
from opentelemetry import trace

from klachtspoor.eventstore.port import Position, RecordedEvent
from klachtspoor.subscriptions import tables
from klachtspoor.subscriptions.model import Projection, Reactor, RetryPolicy
from klachtspoor.telemetry import context_from_traceparent, traceparent_from_metadata

log = logging.getLogger(__name__)
_tracer = trace.get_tracer("klachtspoor.subscriptions")

Advance = Callable[[Position], None]
"""Told each position once its checkpoint is committed."""


def event_fields(subscriber: str, event: RecordedEvent) -> dict[str, object]:
    """Log fields naming an event without any of its data (which may be personal)."""
    return {
        "ks_subscriber": subscriber,
        "ks_event_id": str(event.event_id),
        "ks_event_type": event.type,
        "ks_stream": event.stream,
        "ks_position": str(event.position),
    }


async def call_traced(name: str, event: RecordedEvent, call: Callable[[], Awaitable[None]]) -> None:
    """Run a handler in a span that continues the trace the event was appended in."""
    parent = context_from_traceparent(traceparent_from_metadata(event.metadata))
    with _tracer.start_as_current_span(
        f"{name} {event.type}",
        context=parent,
        kind=trace.SpanKind.CONSUMER,
        attributes={"klachtspoor.subscriber": name, "klachtspoor.event_id": str(event.event_id)},
    ):
        await call()


@contextmanager
def batch_traced(name: str, batch: Sequence[RecordedEvent]) -> Iterator[None]:
    """One span for a projection's ``batch``: its parent is the first event's ``traceparent``; every
    other trace in the batch is a link (made only when the span is recorded, so no cost otherwise)."""
    first = traceparent_from_metadata(batch[0].metadata)
    with _tracer.start_as_current_span(
        f"{name} batch",
        context=context_from_traceparent(first),
        kind=trace.SpanKind.CONSUMER,
        attributes={
            "klachtspoor.subscriber": name,
            "klachtspoor.events": len(batch),
            "klachtspoor.event_id": str(batch[0].event_id),
        },
    ) as span:
        if span.is_recording():
            linked = {first}
            for event in batch[1:]:
                traceparent = traceparent_from_metadata(event.metadata)
                if traceparent is not None and traceparent not in linked:
                    linked.add(traceparent)
                    other = trace.get_current_span(context_from_traceparent(traceparent))
                    span.add_link(other.get_span_context())
        yield


class ProjectionHandling:
    def __init__(self, projection: Projection, retry: RetryPolicy, advance: Advance) -> None:
        self._p = projection
        self._retry = retry
        self._advance = advance

    async def handle(self, conn: asyncpg.Connection, batch: Sequence[RecordedEvent]) -> None:
        """The whole batch in one transaction; on failure, each event in its own to find the poison one."""
        if len(batch) > 1:
            try:
                with batch_traced(self._p.name, batch):
                    async with conn.transaction():
                        for event in batch:
                            await self._p.handle(conn, event)
                        await tables.save_checkpoint(conn, self._p.name, batch[-1].position)
            except Exception as error:
                if _connection_lost(conn, error):
                    raise
                log.warning(
                    "Projection batch of %d events failed (%s: %s); handling them one by one",
                    len(batch),
                    tables.error_type_name(error),
                    error,
                    extra={"ks_subscriber": self._p.name, "ks_position": str(batch[0].position)},
                )
            else:
                self._advance(batch[-1].position)
                return
        for event in batch:
            await self._handle_one(conn, event)

    async def _handle_one(self, conn: asyncpg.Connection, event: RecordedEvent) -> None:
        async def once() -> None:
            try:
                async with conn.transaction():
                    await self._call(conn, event)
                    await tables.save_checkpoint(conn, self._p.name, event.position)
            except Exception as error:
                if _connection_lost(conn, error):
                    raise _ConnectionLost(error) from error
                raise

        failed = await _tried(self._p.name, event, self._retry, once)
        if failed is not None:
            async with conn.transaction():
                await tables.park(conn, self._p.name, event, *failed)
                await tables.save_checkpoint(conn, self._p.name, event.position)
            _log_parked(self._p.name, event, *failed)
        self._advance(event.position)

    async def _call(self, conn: asyncpg.Connection, event: RecordedEvent) -> None:
        await call_traced(self._p.name, event, lambda: self._p.handle(conn, event))


class ReactorHandling:
    def __init__(self, reactor: Reactor, retry: RetryPolicy, advance: Advance) -> None:
        self._r = reactor
        self._retry = retry
        self._advance = advance

    async def handle(self, conn: asyncpg.Connection, batch: Sequence[RecordedEvent]) -> None:
        """Each event: skip when the ledger has it, else the effect, then ledger row and checkpoint."""
        done = await tables.handled_ids(conn, self._r.name, [event.event_id for event in batch])
        for event in batch:
            if event.event_id in done:
                log.info("Skipping an event already in the ledger", extra=event_fields(self._r.name, event))
                await tables.save_checkpoint(conn, self._r.name, event.position)
            else:
                await self._handle_one(conn, event)
            self._advance(event.position)

    async def _handle_one(self, conn: asyncpg.Connection, event: RecordedEvent) -> None:
        async def once() -> None:
            await call_traced(self._r.name, event, lambda: self._r.handle(event))

        failed = await _tried(self._r.name, event, self._retry, once)
        async with conn.transaction():
            if failed is None:
                await tables.record_handled(conn, self._r.name, event)
            else:
                await tables.park(conn, self._r.name, event, *failed)
            await tables.save_checkpoint(conn, self._r.name, event.position)
        if failed is not None:
            _log_parked(self._r.name, event, *failed)


class _ConnectionLost(Exception):
    """Carries a lost read-model connection's error past the retries: the runner stops with it."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


async def _tried(
    name: str, event: RecordedEvent, retry: RetryPolicy, once: Callable[[], Awaitable[None]]
) -> tuple[Exception, int] | None:
    """Run ``once`` until it succeeds (None) or fails for good: the error and the number of attempts.

    An outage (the event store or key store away, a timeout) is retried for as long as it lasts: it is
    not the event's fault, and parking it would hide a good event. Other errors give up after
    ``retry.attempts``. A lost read-model connection stops the runner (raised as it was).
    """
    failures = 0

    def retrying(error: Exception, failed: int) -> None:
        nonlocal failures
        failures = failed
        log.warning(
            "Handler failed on attempt %d (%s: %s); retrying",
            failed,
            tables.error_type_name(error),
            error,
            exc_info=error,
            extra={**event_fields(name, event), "ks_attempt": failed},
        )

    try:
        await retry.call(once, on_retry=retrying, fatal=(_ConnectionLost,))
    except _ConnectionLost as lost:
        raise lost.error from None
    except Exception as error:
        return error, failures + 1
    return None


def _log_parked(name: str, event: RecordedEvent, error: Exception, attempts: int) -> None:
    log.error(
        "Parked event after %d attempts (%s: %s); continuing with the next event",
        attempts,
        tables.error_type_name(error),
        error,
        exc_info=error,
        extra={**event_fields(name, event), "ks_attempts": attempts},
    )


def _connection_lost(conn: asyncpg.Connection, error: Exception) -> bool:
    """A lost read-model connection is no fault of the event: stop instead of parking it."""
    return conn.is_closed() or isinstance(error, asyncpg.exceptions.ConnectionDoesNotExistError)
