"""The ``reporting`` schema: versioned SQL files, one object each, applied in this order at start.

Applied files are recorded with a checksum; editing an applied file is an error (add a new file), so
every database ends up with the same tables whatever its history.
"""

from __future__ import annotations

import hashlib
from importlib import resources

import asyncpg

MIGRATIONS: tuple[str, ...] = (
    "001_schema.sql",
    "002_applied_migrations.sql",
    "003_cases.sql",
    "004_cases_newest_first_index.sql",
    "005_cases_status_index.sql",
    "006_timeline.sql",
    "007_category_counts.sql",
)
"""Applied in this order; append new files at the end, never reorder or edit applied ones."""

_LOCK_KEY = 0x6B73_7265_706F_7274  # "ksreport": serialises concurrent starts against one database


class MigrationChanged(RuntimeError):
    """A migration file differs from the one applied earlier to this database."""


async def apply_schema(conn: asyncpg.Connection) -> list[str]:
    """Apply the files not applied yet, in one transaction; return the names applied now."""
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
                        f"Migration reporting/{name} changed after it was applied "
                        f"(applied checksum {applied[name]}, file checksum {checksum})"
                    )
                continue
            await conn.execute(sql)
            applied_now.append(name)
        # The first files create the table that records them: record everything once it exists.
        await conn.executemany(
            "INSERT INTO reporting.applied_migrations (name, checksum) VALUES ($1, $2)",
            [(name, hashlib.sha256(_read(name).encode()).hexdigest()) for name in applied_now],
        )
    return applied_now


async def _applied(conn: asyncpg.Connection) -> dict[str, str]:
    if not await conn.fetchval("SELECT to_regclass('reporting.applied_migrations') IS NOT NULL"):
        return {}
    rows = await conn.fetch("SELECT name, checksum FROM reporting.applied_migrations")
    return {row["name"]: row["checksum"] for row in rows}


def _read(name: str) -> str:
    return resources.files("services.reporting.adapters").joinpath("sql", name).read_text(encoding="utf-8")
