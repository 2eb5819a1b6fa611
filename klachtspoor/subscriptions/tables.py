"""Reads and writes of the checkpoint, ledger and parked tables; callers own the transactions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from klachtspoor.eventstore.port import START, Position, RecordedEvent


@dataclass(frozen=True, slots=True)
class ParkedEvent:
    """An event a subscriber gave up on after its retries, with the last error."""

    subscriber: str
    event_id: UUID
    position: Position
    stream: str
    version: int
    type: str
    tenant: str
    error_type: str
    error: str
    attempts: int
    parked_at: datetime
    last_attempt_at: datetime
    retry_requested_at: datetime | None


async def load_checkpoint(conn: asyncpg.Connection, subscriber: str) -> Position:
    """The last handled position, or START for a subscriber that never handled an event."""
    row = await conn.fetchrow(
        "SELECT commit_position, sequence_position FROM subscriptions.checkpoints WHERE subscriber = $1",
        subscriber,
    )
    return START if row is None else Position(row["commit_position"], row["sequence_position"])


async def save_checkpoint(conn: asyncpg.Connection, subscriber: str, position: Position) -> None:
    await conn.execute(
        """
        INSERT INTO subscriptions.checkpoints AS c (subscriber, commit_position, sequence_position)
        VALUES ($1, $2, $3)
        ON CONFLICT (subscriber) DO UPDATE
        SET commit_position = excluded.commit_position, sequence_position = excluded.sequence_position,
            updated_at = now()
        """,
        subscriber,
        position.commit,
        position.sequence,
    )


async def handled_ids(conn: asyncpg.Connection, subscriber: str, event_ids: Sequence[UUID]) -> set[UUID]:
    """Which of these events the ledger already holds for this subscriber."""
    rows = await conn.fetch(
        "SELECT event_id FROM subscriptions.ledger WHERE subscriber = $1 AND event_id = ANY($2::uuid[])",
        subscriber,
        list(event_ids),
    )
    return {row["event_id"] for row in rows}


async def record_handled(conn: asyncpg.Connection, subscriber: str, event: RecordedEvent) -> None:
    await conn.execute(
        """
        INSERT INTO subscriptions.ledger (subscriber, event_id, commit_position, sequence_position)
        VALUES ($1, $2, $3, $4) ON CONFLICT (subscriber, event_id) DO NOTHING
        """,
        subscriber,
        event.event_id,
        event.position.commit,
        event.position.sequence,
    )


async def park(
    conn: asyncpg.Connection, subscriber: str, event: RecordedEvent, error: BaseException, attempts: int
) -> None:
    """Record the event as parked; parking it again (after a replay) refreshes the error and adds attempts."""
    await park_described(conn, subscriber, event, error_type_name(error), str(error), attempts)


async def park_described(
    conn: asyncpg.Connection,
    subscriber: str,
    event: RecordedEvent,
    error_type: str,
    error: str,
    attempts: int,
) -> None:
    """:func:`park` with the error as its type name and message (an error another process caught)."""
    await conn.execute(
        """
        INSERT INTO subscriptions.parked AS p (subscriber, event_id, commit_position, sequence_position,
            stream, version, type, tenant, error_type, error, attempts)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
        ON CONFLICT (subscriber, event_id) DO UPDATE
        SET error_type = excluded.error_type, error = excluded.error,
            attempts = p.attempts + excluded.attempts, last_attempt_at = now(), retry_requested_at = NULL
        """,
        subscriber,
        event.event_id,
        event.position.commit,
        event.position.sequence,
        event.stream,
        event.version,
        event.type,
        event.tenant,
        error_type,
        error,
        attempts,
    )


async def list_parked(conn: asyncpg.Connection, subscriber: str | None = None) -> list[ParkedEvent]:
    """Parked events in log order, of one subscriber or of all."""
    rows = await conn.fetch(
        f"{_SELECT_PARKED} WHERE $1::text IS NULL OR subscriber = $1 "
        "ORDER BY subscriber, commit_position, sequence_position",
        subscriber,
    )
    return [_parked(row) for row in rows]


async def get_parked(
    conn: asyncpg.Connection, subscriber: str, event_id: UUID, *, for_update: bool = False
) -> ParkedEvent | None:
    lock = " FOR UPDATE" if for_update else ""
    row = await conn.fetchrow(
        f"{_SELECT_PARKED} WHERE subscriber = $1 AND event_id = $2{lock}", subscriber, event_id
    )
    return None if row is None else _parked(row)


async def retry_requests(conn: asyncpg.Connection, subscriber: str) -> list[UUID]:
    rows = await conn.fetch(
        "SELECT event_id FROM subscriptions.parked WHERE subscriber = $1 AND retry_requested_at IS NOT NULL "
        "ORDER BY commit_position, sequence_position",
        subscriber,
    )
    return [row["event_id"] for row in rows]


async def mark_retry_requested(conn: asyncpg.Connection, subscriber: str, event_id: UUID) -> bool:
    status = await conn.execute(
        "UPDATE subscriptions.parked SET retry_requested_at = now() WHERE subscriber = $1 AND event_id = $2",
        subscriber,
        event_id,
    )
    return status == "UPDATE 1"


async def record_failed_retry(
    conn: asyncpg.Connection, subscriber: str, event_id: UUID, error: BaseException
) -> None:
    await conn.execute(
        """
        UPDATE subscriptions.parked
        SET error_type = $3, error = $4, attempts = attempts + 1, last_attempt_at = now(),
            retry_requested_at = NULL
        WHERE subscriber = $1 AND event_id = $2
        """,
        subscriber,
        event_id,
        error_type_name(error),
        str(error),
    )


async def delete_parked(conn: asyncpg.Connection, subscriber: str, event_id: UUID) -> bool:
    status = await conn.execute(
        "DELETE FROM subscriptions.parked WHERE subscriber = $1 AND event_id = $2", subscriber, event_id
    )
    return status == "DELETE 1"


async def forget_projection(conn: asyncpg.Connection, subscriber: str, tables: Sequence[str]) -> None:
    """Empty a projection's ``tables`` and forget its checkpoint and parked events, in one transaction, so
    its next run replays the whole log. Run it while the projection is stopped: a running one keeps its
    position in memory and would go on from there. ``tables`` are the projection's own (never user input)."""
    async with conn.transaction():
        await conn.execute(f"TRUNCATE {', '.join(tables)}")
        await conn.execute("DELETE FROM subscriptions.checkpoints WHERE subscriber = $1", subscriber)
        await conn.execute("DELETE FROM subscriptions.parked WHERE subscriber = $1", subscriber)


def error_type_name(error: BaseException) -> str:
    cls = type(error)
    return cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"


_SELECT_PARKED = """
SELECT subscriber, event_id, commit_position, sequence_position, stream, version, type, tenant, error_type,
       error, attempts, parked_at, last_attempt_at, retry_requested_at
FROM subscriptions.parked
"""


def _parked(row: asyncpg.Record) -> ParkedEvent:
    return ParkedEvent(
        subscriber=row["subscriber"],
        event_id=row["event_id"],
        position=Position(row["commit_position"], row["sequence_position"]),
        stream=row["stream"],
        version=row["version"],
        type=row["type"],
        tenant=row["tenant"],
        error_type=row["error_type"],
        error=row["error"],
        attempts=row["attempts"],
        parked_at=row["parked_at"],
        last_attempt_at=row["last_attempt_at"],
        retry_requested_at=row["retry_requested_at"],
    )
