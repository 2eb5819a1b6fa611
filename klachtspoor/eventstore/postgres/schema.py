"""Versioned SQL migrations of the ``eventstore`` schema, one SQL object per file, applied in order.

Files are ``sql/NNN_name.sql``; each is applied once, in its own transaction, and recorded with its
checksum in ``eventstore.schema_migrations``. A session advisory lock makes concurrent processes wait
for each other instead of racing. A recorded file that has changed since is an error: migrations are
append-only, a change needs a new file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources

import asyncpg

from klachtspoor.eventstore.errors import EventStoreError
from klachtspoor.eventstore.postgres.failures import describe, unavailable_as_port_error
from klachtspoor.pgconnect import connect

MIGRATION_LOCK_KEY = 0x6B73_6576_656E_7473  # "ksevents": one advisory lock for this schema's migrations
_FILE_RE = re.compile(r"(\d{3})_([a-z0-9_]+)\.sql")
_BOOTSTRAP = """
CREATE SCHEMA IF NOT EXISTS eventstore;
CREATE TABLE IF NOT EXISTS eventstore.schema_migrations (
    version    integer     PRIMARY KEY,
    name       text        NOT NULL,
    checksum   text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
"""


class MigrationError(EventStoreError):
    """The database's recorded migrations do not match the files of this version."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def load_migrations() -> list[Migration]:
    """The migration files in version order; versions must run 1, 2, 3, … without gaps."""
    found = []
    for entry in resources.files("klachtspoor.eventstore.postgres").joinpath("sql").iterdir():
        match = _FILE_RE.fullmatch(entry.name)
        if match is None:
            raise MigrationError(f"Unexpected file {entry.name!r} among the event store migrations")
        found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise MigrationError(f"Event store migration versions must be 1..{len(found)}, found {versions}")
    return found


async def migrate(target: str | asyncpg.Connection) -> list[int]:
    """Apply the pending migrations; returns the versions applied by this call (empty: up to date).

    ``target`` is a database URL or an open connection (left open, and outside a transaction).
    """
    if not isinstance(target, str):
        return await _migrate(target)
    where = describe(target)
    with unavailable_as_port_error(where, "migrate (connect)"):
        conn = await connect(target)
    try:
        with unavailable_as_port_error(where, "migrate"):
            return await _migrate(conn)
    finally:
        await conn.close()


async def _migrate(conn: asyncpg.Connection) -> list[int]:
    migrations = load_migrations()
    await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK_KEY)
    try:
        await conn.execute(_BOOTSTRAP)
        rows = await conn.fetch("SELECT version, checksum FROM eventstore.schema_migrations")
        applied: dict[int, str] = {row["version"]: row["checksum"] for row in rows}
        unknown = sorted(set(applied) - {m.version for m in migrations})
        if unknown:
            raise MigrationError(f"The database has event store migrations {unknown} this version lacks")
        done = []
        for migration in migrations:
            recorded = applied.get(migration.version)
            if recorded is not None:
                if recorded != migration.checksum:
                    raise MigrationError(
                        f"Migration {migration.version:03d}_{migration.name}.sql changed after it was "
                        f"applied (recorded checksum {recorded[:12]}…, file {migration.checksum[:12]}…)"
                    )
                continue
            async with conn.transaction():
                await conn.execute(migration.sql)
                await conn.execute(
                    "INSERT INTO eventstore.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    migration.version,
                    migration.name,
                    migration.checksum,
                )
            done.append(migration.version)
        return done
    finally:
        if not conn.is_closed():
            await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK_KEY)
