"""Where messages that keep failing end up: the shared ``subscriptions.parked`` table, under the name of the
consumer, so ``klachtspoor parked list`` shows them next to every other subscriber's."""

from __future__ import annotations

import asyncio
import logging

import asyncpg

from klachtspoor import pgconnect
from klachtspoor.eventstore.port import EventStore, Position, RecordedEvent
from klachtspoor.relay import RelayedEvent
from klachtspoor.retry import Backoff, is_transient
from klachtspoor.subscriptions import Reactor, ReactorHandler, apply_schema, tables
from klachtspoor.subscriptions.parked import retry_requested

log = logging.getLogger(__name__)
READINESS_TIMEOUTS = pgconnect.Timeouts(command=2, acquire=2)
"""A readiness probe answers quickly: a database that takes longer counts as unreachable."""


def recorded(event: RelayedEvent) -> RecordedEvent:
    """The stored event a relayed message carries (its data still as stored: personal fields encrypted)."""
    return RecordedEvent(
        stream=event.stream,
        version=event.version,
        position=Position.parse(event.position),
        event_id=event.event_id,
        type=event.type,
        tenant=event.tenant,
        data=event.data,
        metadata=event.metadata,
        schema_version=event.schema_version,
        recorded_at=event.recorded_at,
    )


class ParkingLot:
    """Parks events in PostgreSQL; a short-lived connection each time (parking is rare)."""

    def __init__(
        self, database_url: str, subscriber: str, *, timeouts: pgconnect.Timeouts | None = None
    ) -> None:
        self.database_url, self.subscriber = database_url, subscriber
        self.timeouts = timeouts or pgconnect.Timeouts()

    async def prepare(self) -> None:
        """Create the subscriptions schema if this database has none yet (idempotent, versioned)."""
        conn = await self._connect()
        try:
            await apply_schema(conn)
        finally:
            await conn.close()

    async def park(self, event: RelayedEvent, error: BaseException, attempts: int) -> None:
        conn = await self._connect()
        try:
            await tables.park(conn, self.subscriber, recorded(event), error, attempts)
        finally:
            await conn.close()

    async def serve_retries(
        self, store: EventStore, handle: ReactorHandler, *, interval: float = 2.0
    ) -> None:
        """Until cancelled: perform the retries ``klachtspoor parked retry`` requested for this consumer.

        The parked event is read back from the store and handled once more; success removes it from
        parked, failure keeps it there with the new error.
        """
        reactor = Reactor(self.subscriber, handle)

        def outage(error: Exception) -> bool:
            if not is_transient(error):
                return False
            log.warning(
                "Parked retries paused: database unreachable (%s: %s); trying again",
                type(error).__name__,
                error,
                extra={"ks_subscriber": self.subscriber},
            )
            return True

        async for attempt in Backoff(interval, max(interval, 30.0)).retrying(outage):
            with attempt:
                conn = await self._connect()
                try:
                    while True:
                        await retry_requested(conn, store, reactor)
                        await asyncio.sleep(interval)
                finally:
                    await conn.close()

    async def _connect(self) -> asyncpg.Connection:
        return await pgconnect.connect(self.database_url, self.timeouts)

    async def reachable(self) -> bool:
        """True when the database answers (for readiness)."""
        try:
            conn = await pgconnect.connect(self.database_url, READINESS_TIMEOUTS)
        except (OSError, asyncpg.PostgresError, TimeoutError) as error:
            log.warning("Readiness: database unreachable (%s: %s)", type(error).__name__, error)
            return False
        try:
            return bool(await conn.fetchval("SELECT true"))
        finally:
            await conn.close()
