"""Recorded anchors in PostgreSQL, schema ``integrity``, append-only by triggers.

PostgreSQL is there in every deployment (with EventStoreDB too: the relay keeps its checkpoint in it), so
the anchors of either event store live here. Migrations are the SQL files in ``sql/``, applied at open by
the shared runner; triggers refuse UPDATE, DELETE and TRUNCATE on ``integrity.anchors`` for every user.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager

import asyncpg

from klachtspoor.eventstore.port import Position
from klachtspoor.integrity.anchors import Anchor, Move
from klachtspoor.migrations import Connection, MigrationSet, apply_migrations
from klachtspoor.pgconnect import Timeouts, create_prepared_pool, translated

INTEGRITY_SCHEMA = MigrationSet(
    package="klachtspoor.integrity",
    schema="integrity",
    files=(
        "001_schema_integrity.sql",
        "002_table_anchors.sql",
        "003_function_refuse_change.sql",
        "004_trigger_anchors_refuse_update_delete.sql",
        "005_trigger_anchors_refuse_truncate.sql",
        "006_table_moves.sql",
        "007_trigger_moves_refuse_update_delete.sql",
        "008_trigger_moves_refuse_truncate.sql",
    ),
    functions=("refuse_change",),
)

_COLUMNS = "event_count, position_commit, position_sequence, digest, recorded_at"
_MOVE_COLUMNS = "event_count, position_commit, position_sequence, digest, target, moved_at"


class AnchorsError(Exception):
    """Anchors could not be read or recorded (names the operation, never an event's content)."""


class AnchorsUnavailable(AnchorsError):
    """PostgreSQL is not there now: worth trying again later."""


def _translated(operation: str) -> AbstractAsyncContextManager[None]:
    return translated(operation, component="Anchors", unavailable=AnchorsUnavailable, failed=AnchorsError)


async def migrate(conn: Connection) -> list[str]:
    async with _translated("migration"):
        return await apply_migrations(conn, INTEGRITY_SCHEMA)


class PostgresAnchors:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @classmethod
    async def open(cls, database_url: str, *, timeouts: Timeouts | None = None) -> PostgresAnchors:
        """Connect and apply pending migrations."""
        async with _translated("connect"):
            pool = await create_prepared_pool(
                database_url, migrate, min_size=1, max_size=2, timeouts=timeouts
            )
        return cls(pool)

    async def last(self) -> Anchor | None:
        async with _translated("read the last anchor"):
            row = await self._pool.fetchrow(
                f"SELECT {_COLUMNS} FROM integrity.anchors ORDER BY event_count DESC LIMIT 1"
            )
        return None if row is None else _anchor(row)

    async def add(self, anchor: Anchor) -> Anchor:
        """Record ``anchor``; one over the same count recorded meanwhile is kept (it is the same digest)."""
        at = anchor.at
        async with _translated(f"record the anchor over {anchor.count} events"):
            row = await self._pool.fetchrow(
                "INSERT INTO integrity.anchors (event_count, position_commit, position_sequence, digest)"
                " VALUES ($1, $2, $3, $4) ON CONFLICT (event_count) DO NOTHING"
                f" RETURNING {_COLUMNS}",
                anchor.count,
                at.commit,
                at.sequence,
                anchor.digest,
            )
            if row is None:
                row = await self._pool.fetchrow(
                    f"SELECT {_COLUMNS} FROM integrity.anchors WHERE event_count = $1", anchor.count
                )
        if row is None:
            raise AnchorsError(f"The anchor over {anchor.count} events was neither recorded nor found")
        recorded = _anchor(row)
        if recorded.digest != anchor.digest or recorded.position != anchor.position:
            raise AnchorsError(
                f"An anchor over {anchor.count} events recorded earlier differs from the one computed now:"
                " the log changed since; run klachtspoor verify --anchors against an export"
            )
        return recorded

    async def last_move(self) -> Move | None:
        async with _translated("read the last move"):
            row = await self._pool.fetchrow(
                f"SELECT {_MOVE_COLUMNS} FROM integrity.moves ORDER BY event_count DESC, move_no DESC LIMIT 1"
            )
        return None if row is None else _move(row)

    async def add_move(self, move: Move) -> Move:
        """Record that the event store moved (``klachtspoor eventstore switch``)."""
        async with _translated(f"record the move of {move.count} events to {move.target}"):
            row = await self._pool.fetchrow(
                "INSERT INTO integrity.moves"
                " (event_count, position_commit, position_sequence, digest, target)"
                f" VALUES ($1, $2, $3, $4, $5) RETURNING {_MOVE_COLUMNS}",
                move.count,
                move.position.commit,
                move.position.sequence,
                move.digest,
                move.target,
            )
        assert row is not None  # INSERT … RETURNING returns the row
        return _move(row)

    async def all(self) -> list[Anchor]:
        async with _translated("read the anchors"):
            rows = await self._pool.fetch(f"SELECT {_COLUMNS} FROM integrity.anchors ORDER BY event_count")
        return [_anchor(row) for row in rows]

    async def close(self) -> None:
        await self._pool.close()


def _anchor(row: asyncpg.Record) -> Anchor:
    position = f"{row['position_commit']}/{row['position_sequence']}"
    return Anchor(
        count=row["event_count"], position=position, digest=row["digest"], recorded_at=row["recorded_at"]
    )


def _move(row: asyncpg.Record) -> Move:
    return Move(
        count=row["event_count"],
        position=Position(row["position_commit"], row["position_sequence"]),
        digest=row["digest"],
        target=row["target"],
        moved_at=row["moved_at"],
    )
