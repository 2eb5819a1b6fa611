"""The ``intake`` schema (case reference counters), applied at start; several intake processes may
start against one database at once."""

from __future__ import annotations

import asyncpg

from klachtspoor.migrations import MigrationChanged, MigrationSet, apply_migrations

MIGRATIONS: tuple[str, ...] = (
    "001_schema.sql",
    "002_applied_migrations.sql",
    "003_reference_counters.sql",
    "004_case_references.sql",
    "005_allocate_reference.sql",
    "006_idempotency_keys.sql",
)
"""Applied in this order; append new files at the end, never reorder or edit applied ones."""

SCHEMA = MigrationSet(
    package="services.intake.adapters",
    schema="intake",
    files=MIGRATIONS,
    functions=("allocate_reference", "claim_idempotency_key"),
)

__all__ = ["MIGRATIONS", "SCHEMA", "MigrationChanged", "apply_schema"]


async def apply_schema(conn: asyncpg.Connection) -> list[str]:
    """Apply the files not applied yet, in one transaction; return the names applied now."""
    return await apply_migrations(conn, SCHEMA)
