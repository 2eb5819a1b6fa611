"""The one way every component applies its SQL: numbered migrations, then each function's live definition.

Every component with tables of its own (event store, key store, subscriptions, intake, reporting,
escalation) keeps them in one schema and lists its files in a :class:`MigrationSet`:

* ``sql/NNN_name.sql``, the numbered migrations, one object per file, applied once in the listed order.
  An applied file never changes (its checksum is recorded; a changed file is an error): a change is a new
  file, so every database ends up with the same objects whatever its history.
* ``sql/functions/<name>.sql``, the current definition of each SQL function, ``CREATE OR REPLACE``. A
  reader finds the live body here, not by searching which migration last replaced it (the migrations that
  first created and later replaced it stay as they were, as history). Applied after the numbered files,
  and again whenever the file has changed since (its checksum is recorded too): changing a function's
  body is editing its file. A change of its arguments or result needs a numbered migration that drops
  the old function first, since ``CREATE OR REPLACE`` cannot change those.

Applied files are recorded in ``<schema>.applied_migrations``, which the runner creates. Components
migrated by an older runner kept their records elsewhere (``MigrationSet.carried_over``); those records
are copied over when the table is created, and a numbered migration of the component drops the old table.
Everything runs in one transaction under a transaction-scoped advisory lock, so several processes may
start at once and a failure leaves the database as it was.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources

import asyncpg
from asyncpg.pool import PoolConnectionProxy

Connection = asyncpg.Connection | PoolConnectionProxy

RECORD_TABLE = "applied_migrations"
"""The table, in each component's schema, that records the files applied to it."""


class MigrationChanged(RuntimeError):
    """The database's recorded migrations do not match this version's files: a migration file differs from
    the one applied earlier, or the database has migrations this version does not know."""


@dataclass(frozen=True)
class CarriedOver:
    """Where an older runner recorded a component's applied files, and how to read them as file names."""

    table: str
    """``schema.table`` of the older record table, with columns ``checksum`` and ``applied_at``."""
    name_sql: str = "name"
    """A SQL expression over that table giving the file name (``001_schema.sql``)."""


@dataclass(frozen=True)
class MigrationSet:
    package: str
    """The package whose ``sql/`` folder holds the files."""
    schema: str
    """The component's schema; its ``applied_migrations`` table records what was applied."""
    files: tuple[str, ...]
    """Applied in this order; append new files at the end, never reorder or edit applied ones."""
    functions: tuple[str, ...] = ()
    """The functions whose current definition is ``sql/functions/<name>.sql``, applied in this order."""
    carried_over: CarriedOver | None = None
    """An older runner's record table, copied into ``applied_migrations`` when that is created."""

    @property
    def record_table(self) -> str:
        return f"{self.schema}.{RECORD_TABLE}"

    @property
    def function_files(self) -> tuple[str, ...]:
        """The functions' files as recorded (``functions/<name>.sql``)."""
        return tuple(f"functions/{name}.sql" for name in self.functions)

    def read(self, name: str) -> str:
        """The text of ``name``: a numbered file or one of :attr:`function_files`."""
        return resources.files(self.package).joinpath("sql", *name.split("/")).read_text(encoding="utf-8")


async def apply_migrations(conn: Connection, migrations: MigrationSet) -> list[str]:
    """Apply the numbered files not applied yet, then every function file new or changed since it was
    applied, all in one transaction; return the names applied now, in the order they were applied."""
    applied_now: list[str] = []
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", migrations.record_table)
        await _create_record_table(conn, migrations)
        applied = await _applied(conn, migrations.record_table)
        unknown = sorted(set(applied) - set(migrations.files) - set(migrations.function_files))
        if unknown:
            raise MigrationChanged(
                f"The database has {migrations.schema} migrations {unknown} this version lacks"
            )
        for name in migrations.files:
            sql = migrations.read(name)
            checksum = _checksum(sql)
            if name in applied:
                if applied[name] != checksum:
                    raise MigrationChanged(
                        f"Migration {migrations.package}/sql/{name} changed after it was applied "
                        f"(applied checksum {applied[name]}, file checksum {checksum}); add a new file"
                    )
                continue
            await conn.execute(sql)
            await _record(conn, migrations.record_table, name, checksum)
            applied_now.append(name)
        for name in migrations.function_files:
            sql = migrations.read(name)
            checksum = _checksum(sql)
            if applied.get(name) == checksum:
                continue
            await conn.execute(sql)
            await _record(conn, migrations.record_table, name, checksum)
            applied_now.append(name)
    return applied_now


def _checksum(sql: str) -> str:
    return hashlib.sha256(sql.encode()).hexdigest()


async def _create_record_table(conn: Connection, migrations: MigrationSet) -> None:
    """Create the record table if it is missing, with the records of an older runner if there are any."""
    if await _exists(conn, migrations.record_table):
        return
    await conn.execute(
        f"""
        CREATE SCHEMA IF NOT EXISTS {migrations.schema};
        CREATE TABLE {migrations.record_table} (
            name       text        PRIMARY KEY,
            checksum   text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        );
        """
    )
    older = migrations.carried_over
    if older is not None and await _exists(conn, older.table):
        await conn.execute(
            f"INSERT INTO {migrations.record_table} (name, checksum, applied_at) "
            f"SELECT {older.name_sql}, checksum, applied_at FROM {older.table}"
        )


async def _record(conn: Connection, table: str, name: str, checksum: str) -> None:
    await conn.execute(
        f"INSERT INTO {table} (name, checksum) VALUES ($1, $2) "
        "ON CONFLICT (name) DO UPDATE SET checksum = excluded.checksum, applied_at = now()",
        name,
        checksum,
    )


async def _exists(conn: Connection, table: str) -> bool:
    return bool(await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", table))


async def _applied(conn: Connection, table: str) -> dict[str, str]:
    rows = await conn.fetch(f"SELECT name, checksum FROM {table}")
    return {row["name"]: row["checksum"] for row in rows}
