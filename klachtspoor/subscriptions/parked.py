"""Operating parked events: retry (re-run the handler once), request a retry, discard.

A retry needs the subscriber's handler, which lives in the process that runs it. In that process, call
:func:`retry_parked` directly. From elsewhere (the CLI), :func:`request_retry` marks the row and the running
subscriber performs the retry on its next poll; :func:`wait_for_retry` reports what came of it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import assert_never
from uuid import UUID

import asyncpg

from klachtspoor.eventstore.port import EventStore, RecordedEvent
from klachtspoor.subscriptions import tables
from klachtspoor.subscriptions.handling import call_traced, event_fields
from klachtspoor.subscriptions.model import Projection, Reactor, Subscriber
from klachtspoor.subscriptions.tables import ParkedEvent

log = logging.getLogger(__name__)


class ParkedEventNotFound(LookupError):
    def __init__(self, subscriber: str, event_id: UUID) -> None:
        self.subscriber, self.event_id = subscriber, event_id
        super().__init__(f"No parked event {event_id} for subscriber {subscriber}")


class RetryOutcome(StrEnum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    PENDING = "pending"


@dataclass(frozen=True, slots=True)
class RetryResult:
    outcome: RetryOutcome
    parked: ParkedEvent | None
    """The parked row as it is now: None after success, with the new error after a failure."""


async def retry_parked(
    conn: asyncpg.Connection, store: EventStore, subscriber: Subscriber, event_id: UUID
) -> RetryResult:
    """Re-run the handler once. Success removes the event from parked and records it in the ledger;
    failure keeps it parked with the new error and one more attempt."""
    parked = await tables.get_parked(conn, subscriber.name, event_id)
    if parked is None:
        raise ParkedEventNotFound(subscriber.name, event_id)
    event = await load_parked_event(store, parked)
    try:
        match subscriber:
            case Projection():
                await _retry_projection(conn, subscriber, event)
            case Reactor():
                await _retry_reactor(conn, subscriber, event)
            case _:
                assert_never(subscriber)
    except ParkedEventNotFound:
        raise
    except Exception as error:
        if conn.is_closed():
            raise
        await tables.record_failed_retry(conn, subscriber.name, event_id, error)
        log.error(
            "Retry of parked event failed (%s: %s); it stays parked",
            tables.error_type_name(error),
            error,
            exc_info=error,
            extra=event_fields(subscriber.name, event),
        )
        return RetryResult(RetryOutcome.FAILED, await tables.get_parked(conn, subscriber.name, event_id))
    log.info("Retried parked event successfully", extra=event_fields(subscriber.name, event))
    return RetryResult(RetryOutcome.SUCCEEDED, None)


async def _retry_projection(conn: asyncpg.Connection, projection: Projection, event: RecordedEvent) -> None:
    async with conn.transaction():
        # The row lock makes two concurrent retries of one event apply it once.
        if await tables.get_parked(conn, projection.name, event.event_id, for_update=True) is None:
            raise ParkedEventNotFound(projection.name, event.event_id)
        await call_traced(projection.name, event, lambda: projection.handle(conn, event))
        await tables.record_handled(conn, projection.name, event)
        await tables.delete_parked(conn, projection.name, event.event_id)


async def _retry_reactor(conn: asyncpg.Connection, reactor: Reactor, event: RecordedEvent) -> None:
    if not await tables.handled_ids(conn, reactor.name, [event.event_id]):
        await call_traced(reactor.name, event, lambda: reactor.handle(event))
    async with conn.transaction():
        await tables.record_handled(conn, reactor.name, event)
        await tables.delete_parked(conn, reactor.name, event.event_id)


async def load_parked_event(store: EventStore, parked: ParkedEvent) -> RecordedEvent:
    """The parked event as the store has it (found by stream and version, checked by id)."""
    found = await store.read_stream(parked.stream, from_version=parked.version, limit=1)
    if not found or found[0].event_id != parked.event_id:
        actual = found[0].event_id if found else None
        raise LookupError(
            f"Parked event {parked.event_id} is not in the store "
            f"(Stream: {parked.stream}, Version: {parked.version}, found there: {actual})"
        )
    return found[0]


async def retry_requested(conn: asyncpg.Connection, store: EventStore, subscriber: Subscriber) -> int:
    """Perform the retries requested for this subscriber; return how many were attempted."""
    attempted = 0
    for event_id in await tables.retry_requests(conn, subscriber.name):
        try:
            await retry_parked(conn, store, subscriber, event_id)
        except ParkedEventNotFound:
            continue  # discarded or retried by someone else in the meantime: nothing left to do
        except LookupError as error:
            await tables.record_failed_retry(conn, subscriber.name, event_id, error)
            log.error(
                "Requested retry impossible: %s",
                error,
                extra={"ks_subscriber": subscriber.name, "ks_event_id": str(event_id)},
            )
        attempted += 1
    return attempted


async def request_retry(conn: asyncpg.Connection, subscriber: str, event_id: UUID) -> None:
    """Ask the running subscriber to retry this event on its next poll."""
    if not await tables.mark_retry_requested(conn, subscriber, event_id):
        raise ParkedEventNotFound(subscriber, event_id)
    log.info("Retry requested", extra={"ks_subscriber": subscriber, "ks_event_id": str(event_id)})


async def wait_for_retry(
    conn: asyncpg.Connection, subscriber: str, event_id: UUID, *, within: float, poll: float = 0.2
) -> RetryResult:
    """What came of a requested retry: gone (succeeded), request cleared (failed), or still pending."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        parked = await tables.get_parked(conn, subscriber, event_id)
        if parked is None:
            return RetryResult(RetryOutcome.SUCCEEDED, None)
        if parked.retry_requested_at is None:
            return RetryResult(RetryOutcome.FAILED, parked)
        if loop.time() >= deadline:
            return RetryResult(RetryOutcome.PENDING, parked)
        await asyncio.sleep(poll)


async def discard_parked(conn: asyncpg.Connection, subscriber: str, event_id: UUID) -> ParkedEvent:
    """Give up on the event for good: remove it from parked without handling it; return what was removed."""
    async with conn.transaction():
        parked = await tables.get_parked(conn, subscriber, event_id, for_update=True)
        if parked is None:
            raise ParkedEventNotFound(subscriber, event_id)
        await tables.delete_parked(conn, subscriber, event_id)
    log.warning(
        "Discarded parked event",
        extra={
            "ks_subscriber": subscriber,
            "ks_event_id": str(event_id),
            "ks_event_type": parked.type,
            "ks_stream": parked.stream,
            "ks_position": str(parked.position),
        },
    )
    return parked
