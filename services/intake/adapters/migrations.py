"""The ``intake`` schema: versioned SQL files, one object each, applied in an explicit order at start.

Applied files are recorded with a checksum; editing an applied file is an error (write a new file), so
every database ends up with the same objects whatever its history. A transaction-scoped advisory lock
lets several intake processes start against one database at once.
"""

from __future__ import annotations

import hashlib
from importlib import resources

import asyncpg

MIGRATIONS: tuple[str, ...] = (
    "001_schema.sql",
    "002_applied_migrations.sql",
    "003_reference_counters.sql",
    "004_case_references.sql",
    "005_allocate_reference.sql",
)
"""Applied in this order; append new files at the end, never reorder or edit applied ones."""

_LOCK_KEY = 0x6B73_696E_7461_6B65  # "ksintake"


class MigrationChanged(RuntimeError):
    """A migration file differs from the one applied earlier to this database."""


async def migrate(conn: asyncpg.Connection) -> list[str]:
    """Apply the files not applied yet, in one transaction; return the names applied by this call."""
    applied_now: list[str] = []
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _LOCK_KEY)
        applied = await _applied(conn)
        for name in MIGRATIONS:
            sql = _read(name)
            checksum = hashlib.sha256(sql.encode()).hexdigest()
            if name in applied:
                if applied[name] != checksum:
                    raise MigrationChanged(
                        f"Migration intake/{name} changed after it was applied "
                        f"(applied checksum {applied[name][:12]}…, file checksum {checksum[:12]}…)"
                    )
                continue
            await conn.execute(sql)
            applied_now.append(name)
        # The first files create the table that records them: record everything once it exists.
        await conn.executemany(
            "INSERT INTO intake.applied_migrations (name, checksum) VALUES ($1, $2)",
            [(name, hashlib.sha256(_read(name).encode()).hexdigest()) for name in applied_now],
        )
    return applied_now


async def _applied(conn: asyncpg.Connection) -> dict[str, str]:
    if not await conn.fetchval("SELECT to_regclass('intake.applied_migrations') IS NOT NULL"):
        return {}
    rows = await conn.fetch("SELECT name, checksum FROM intake.applied_migrations")
    return {row["name"]: row["checksum"] for row in rows}


def _read(name: str) -> str:
    return resources.files("services.intake.adapters").joinpath("sql", name).read_text(encoding="utf-8")
