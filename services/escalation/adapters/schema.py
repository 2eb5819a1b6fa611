"""The ``escalation`` schema (the timer's due-date index, the dossier's references, the erasures begun),
applied at start.

The schema is escalation's own: other services never read it. New tables of the service append files here.
"""

from __future__ import annotations

import asyncpg

from klachtspoor.migrations import MigrationChanged, MigrationSet, apply_migrations

MIGRATIONS: tuple[str, ...] = (
    "001_schema.sql",
    "002_applied_migrations.sql",
    "003_timer_cases.sql",
    "004_timer_due.sql",
    "005_dossier_references.sql",
    "006_erasures_pending.sql",
)
"""Applied in this order; append new files at the end, never reorder or edit applied ones."""

SCHEMA = MigrationSet(package="services.escalation.adapters", files=MIGRATIONS, schema="escalation")

__all__ = ["MIGRATIONS", "SCHEMA", "MigrationChanged", "apply_schema"]


async def apply_schema(conn: asyncpg.Connection) -> list[str]:
    """Apply the files not applied yet, in one transaction; return the names applied now."""
    return await apply_migrations(conn, SCHEMA)
