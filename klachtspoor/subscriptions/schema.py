"""The ``subscriptions`` schema (checkpoints, ledger, parked events), applied at start."""

from __future__ import annotations

import asyncpg

from klachtspoor.migrations import MigrationChanged, MigrationSet, apply_migrations

MIGRATIONS: tuple[str, ...] = (
    "001_schema.sql",
    "002_applied_migrations.sql",
    "003_checkpoints.sql",
    "004_ledger.sql",
    "005_parked.sql",
    "006_parked_retry_requested_index.sql",
)
"""Applied in this order; append new files at the end, never reorder or edit applied ones."""

SCHEMA = MigrationSet(package="klachtspoor.subscriptions", files=MIGRATIONS, schema="subscriptions")

__all__ = ["MIGRATIONS", "SCHEMA", "MigrationChanged", "apply_schema"]


async def apply_schema(conn: asyncpg.Connection) -> list[str]:
    """Apply the files not applied yet, in one transaction; return the names applied now."""
    return await apply_migrations(conn, SCHEMA)
