"""The ``reporting`` schema (case list, timeline, category counts, case facts, contact facts), applied at
start."""

from __future__ import annotations

import asyncpg

from klachtspoor.migrations import MigrationChanged, MigrationSet, apply_migrations

MIGRATIONS: tuple[str, ...] = (
    "001_schema.sql",
    "002_applied_migrations.sql",
    "003_cases.sql",
    "004_cases_newest_first_index.sql",
    "005_cases_status_index.sql",
    "006_timeline.sql",
    "007_category_counts.sql",
    "008_case_facts.sql",
    "009_contact_facts.sql",
    "010_contact_case_policies.sql",
    "011_drop_category_counts.sql",
    "012_case_facts_handling_days.sql",
    "013_case_facts_period_index.sql",
    "014_figure_counts.sql",
    "015_drop_case_facts_period_index.sql",
)
"""Applied in this order; append new files at the end, never reorder or edit applied ones."""

SCHEMA = MigrationSet(package="services.reporting.adapters", files=MIGRATIONS, schema="reporting")

__all__ = ["MIGRATIONS", "SCHEMA", "MigrationChanged", "apply_schema"]


async def apply_schema(conn: asyncpg.Connection) -> list[str]:
    """Apply the files not applied yet, in one transaction; return the names applied now."""
    return await apply_migrations(conn, SCHEMA)
