"""The ``eventstore`` schema: its numbered migrations and the live definitions of its append functions.

Applied by the shared runner (:mod:`klachtspoor.migrations`) like every component's schema. Versions
before it recorded their migrations by number in ``eventstore.schema_migrations``; the runner carries
those records over and migration 011 drops that table, so a database migrated by them is recognised.
"""

from __future__ import annotations

import asyncpg

from klachtspoor.eventstore.errors import EventStoreError
from klachtspoor.eventstore.postgres.failures import describe, unavailable_as_port_error
from klachtspoor.migrations import CarriedOver, MigrationChanged, MigrationSet, apply_migrations
from klachtspoor.pgconnect import connect

MIGRATIONS: tuple[str, ...] = (
    "001_schema.sql",
    "002_events_table.sql",
    "003_events_event_id_key.sql",
    "004_events_stream_version_key.sql",
    "005_streams_table.sql",
    "006_append_events.sql",
    "007_append_event.sql",
    "008_append_events_without_streams.sql",
    "009_append_event_without_streams.sql",
    "010_drop_streams_table.sql",
    "011_drop_schema_migrations.sql",
)
"""Applied in this order; append new files at the end, never reorder or edit applied ones."""

SCHEMA = MigrationSet(
    package="klachtspoor.eventstore.postgres",
    schema="eventstore",
    files=MIGRATIONS,
    functions=("append_events", "append_event"),
    carried_over=CarriedOver(
        table="eventstore.schema_migrations", name_sql="lpad(version::text, 3, '0') || '_' || name || '.sql'"
    ),
)


class MigrationError(EventStoreError):
    """The database's recorded migrations do not match the files of this version."""


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
    try:
        applied = await apply_migrations(conn, SCHEMA)
    except MigrationChanged as error:
        raise MigrationError(str(error)) from error
    return [int(name[:3]) for name in applied if name in SCHEMA.files]
