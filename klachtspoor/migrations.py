"""One way to apply a component's SQL files: versioned, one object per file, in an explicit order.

Every component with tables of its own (key store, subscriptions, intake, reporting) lists its files in
a :class:`MigrationSet`. Applied files are recorded with a checksum in the component's own table;
editing an applied file is an error (write a new file), so every database ends up with the same objects
whatever its history. A transaction-scoped advisory lock lets several processes start at once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources

import asyncpg
from asyncpg.pool import PoolConnectionProxy

Connection = asyncpg.Connection | PoolConnectionProxy


class MigrationChanged(RuntimeError):
    """A migration file differs from the one applied earlier to this database."""


@dataclass(frozen=True)
class MigrationSet:
    package: str
    """The package whose ``sql/`` folder holds the files."""
    files: tuple[str, ...]
    """Applied in this order; append new files at the end, never reorder or edit applied ones."""
    record_table: str
    """``schema.table`` with columns (name, checksum); one of the files creates it."""

    def read(self, name: str) -> str:
        return resources.files(self.package).joinpath("sql", name).read_text(encoding="utf-8")


async def apply_migrations(conn: Connection, migrations: MigrationSet) -> list[str]:
    """Apply the files not applied yet, all in one transaction; return the names applied now."""
    applied_now: list[str] = []
    unrecorded: list[tuple[str, str]] = []
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", migrations.record_table)
        applied = await _applied(conn, migrations.record_table)
        for name in migrations.files:
            sql = migrations.read(name)
            checksum = hashlib.sha256(sql.encode()).hexdigest()
            if name in applied:
                if applied[name] != checksum:
                    raise MigrationChanged(
                        f"Migration {migrations.package}/sql/{name} changed after it was applied "
                        f"(applied checksum {applied[name]}, file checksum {checksum}); add a new file"
                    )
                continue
            await conn.execute(sql)
            unrecorded.append((name, checksum))
            # The first files create the table that records them: record them once it exists.
            if await _exists(conn, migrations.record_table):
                await conn.executemany(
                    f"INSERT INTO {migrations.record_table} (name, checksum) VALUES ($1, $2)", unrecorded
                )
                applied_now.extend(name for name, _ in unrecorded)
                unrecorded.clear()
        if unrecorded:
            raise MigrationChanged(
                f"Migrations {[n for n, _ in unrecorded]} ran but none created {migrations.record_table}"
            )
    return applied_now


async def _exists(conn: Connection, table: str) -> bool:
    return bool(await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", table))


async def _applied(conn: Connection, table: str) -> dict[str, str]:
    if not await _exists(conn, table):
        return {}
    rows = await conn.fetch(f"SELECT name, checksum FROM {table}")
    return {row["name"]: row["checksum"] for row in rows}
