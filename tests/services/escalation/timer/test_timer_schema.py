"""Escalation's schema: every SQL file is listed in order, and applying it again changes nothing."""

from __future__ import annotations

from importlib import resources

import asyncpg

from services.escalation.adapters.schema import SCHEMA, apply_schema


def test_the_files_on_disk_are_exactly_the_listed_ones_in_order() -> None:
    on_disk = sorted(
        f.name for f in resources.files(SCHEMA.package).joinpath("sql").iterdir() if f.name.endswith(".sql")
    )
    assert list(SCHEMA.files) == on_disk
    assert all("escalation." in SCHEMA.read(name) or "SCHEMA" in SCHEMA.read(name) for name in SCHEMA.files)


async def test_applying_twice_applies_each_file_once(database_url: str) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        assert await apply_schema(conn) == list(SCHEMA.files)
        assert await apply_schema(conn) == []
        tables = await conn.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'escalation' ORDER BY 1"
        )
        assert [row["table_name"] for row in tables] == [
            "applied_migrations",
            "dossier_references",
            "erasures_pending",
            "timer_cases",
            "timer_due",
        ]
    finally:
        await conn.close()
