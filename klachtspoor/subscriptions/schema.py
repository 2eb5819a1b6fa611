"""The ``subscriptions`` schema: versioned SQL files applied in an explicit order at start.

Each file creates one object. Applied files are recorded with a checksum; editing an applied file is an
error (write a new file instead), so every database ends up with the same tables whatever its history.
"""

from __future__ import annotations

import hashlib
from importlib import resources

import asyncpg

MIGRATIONS: tuple[str, ...] = (
    "001_schema.sql",
    "002_applied_migrations.sql",
    "003_checkpoints.sql",
    "004_ledger.sql",
    "005_parked.sql",
    "006_parked_retry_requested_index.sql",
)
"""Applied in this order; append new files at the end, never reorder or edit applied ones."""

_LOCK_KEY = 0x6B73_7375_6273  # any constant: serialises concurrent starts against one database


class MigrationChanged(RuntimeError):
    """A migration file differs from the one applied earlier to this database."""


async def apply_schema(conn: asyncpg.Connection) -> list[str]:
    """Apply the files not yet applied, all in one transaction; return the names applied now."""
    applied_now: list[str] = []
    unrecorded: list[tuple[str, str]] = []
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _LOCK_KEY)
        applied = await _applied(conn)
        for name in MIGRATIONS:
            sql = _read(name)
            checksum = hashlib.sha256(sql.encode()).hexdigest()
            if name in applied:
                if applied[name] != checksum:
                    raise MigrationChanged(
                        f"Migration {name} changed after it was applied "
                        f"(applied checksum {applied[name]}, file checksum {checksum})"
                    )
                continue
            await conn.execute(sql)
            unrecorded.append((name, checksum))
            # The first files create the table that records them: record them once it exists.
            if await _table_exists(conn):
                await conn.executemany(
                    "INSERT INTO subscriptions.applied_migrations (name, checksum) VALUES ($1, $2)",
                    unrecorded,
                )
                applied_now.extend(n for n, _ in unrecorded)
                unrecorded.clear()
        if unrecorded:
            raise RuntimeError(
                f"Migrations {unrecorded} ran but none created subscriptions.applied_migrations"
            )
    return applied_now


async def _table_exists(conn: asyncpg.Connection) -> bool:
    return bool(await conn.fetchval("SELECT to_regclass('subscriptions.applied_migrations') IS NOT NULL"))


async def _applied(conn: asyncpg.Connection) -> dict[str, str]:
    if not await _table_exists(conn):
        return {}
    rows = await conn.fetch("SELECT name, checksum FROM subscriptions.applied_migrations")
    return {row["name"]: row["checksum"] for row in rows}


def _read(name: str) -> str:
    return resources.files("klachtspoor.subscriptions").joinpath("sql", name).read_text(encoding="utf-8")
