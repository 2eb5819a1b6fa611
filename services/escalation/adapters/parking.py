"""Where messages that keep failing end up: the shared ``subscriptions.parked`` table, under the name of the
consumer, so ``klachtspoor parked list`` shows them next to every other subscriber's."""

from __future__ import annotations

import asyncpg

from klachtspoor.eventstore.port import Position, RecordedEvent
from klachtspoor.relay import RelayedEvent
from klachtspoor.subscriptions import apply_schema, tables


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

    def __init__(self, database_url: str, subscriber: str) -> None:
        self.database_url, self.subscriber = database_url, subscriber

    async def prepare(self) -> None:
        """Create the subscriptions schema if this database has none yet (idempotent, versioned)."""
        conn = await asyncpg.connect(self.database_url)
        try:
            await apply_schema(conn)
        finally:
            await conn.close()

    async def park(self, event: RelayedEvent, error: BaseException, attempts: int) -> None:
        conn = await asyncpg.connect(self.database_url)
        try:
            await tables.park(conn, self.subscriber, recorded(event), error, attempts)
        finally:
            await conn.close()

    async def reachable(self) -> bool:
        """True when the database answers (for readiness)."""
        try:
            conn = await asyncpg.connect(self.database_url, timeout=2)
        except (OSError, asyncpg.PostgresError, TimeoutError):
            return False
        try:
            return bool(await conn.fetchval("SELECT true"))
        finally:
            await conn.close()
