"""The shared migration runner against a real server: the live definition of each SQL function is its
``sql/functions/<name>.sql`` file, exactly what the numbered migrations leave behind."""

from __future__ import annotations

import dataclasses

import asyncpg
import pytest

from klachtspoor.eventstore.postgres.schema import SCHEMA as EVENTSTORE
from klachtspoor.migrations import MigrationSet, apply_migrations
from services.intake.adapters.schema import SCHEMA as INTAKE

WITH_FUNCTIONS = [EVENTSTORE, INTAKE]


async def _definitions(conn: asyncpg.Connection, schema: str) -> dict[str, str]:
    rows = await conn.fetch(
        "SELECT p.proname, pg_get_functiondef(p.oid) AS definition FROM pg_proc AS p "
        "JOIN pg_namespace AS n ON n.oid = p.pronamespace WHERE n.nspname = $1",
        schema,
    )
    return {row["proname"]: row["definition"] for row in rows}


@pytest.mark.parametrize("migrations", WITH_FUNCTIONS, ids=lambda m: m.schema)
async def test_the_function_files_define_what_the_numbered_migrations_leave(
    database_url: str, migrations: MigrationSet
) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        await apply_migrations(conn, dataclasses.replace(migrations, functions=()))
        left = await _definitions(conn, migrations.schema)
        assert sorted(left) == sorted(migrations.functions)
        for file in migrations.function_files:
            await conn.execute(migrations.read(file))
        assert await _definitions(conn, migrations.schema) == left
    finally:
        await conn.close()


@pytest.mark.parametrize("migrations", WITH_FUNCTIONS, ids=lambda m: m.schema)
async def test_a_function_file_is_applied_again_only_when_it_changed(
    database_url: str, migrations: MigrationSet
) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        applied = await apply_migrations(conn, migrations)
        assert applied == [*migrations.files, *migrations.function_files]
        assert await apply_migrations(conn, migrations) == []
        changed = migrations.function_files[0]
        await conn.execute(
            f"UPDATE {migrations.record_table} SET checksum = 'earlier' WHERE name = $1", changed
        )
        assert await apply_migrations(conn, migrations) == [changed]
        assert await apply_migrations(conn, migrations) == []
    finally:
        await conn.close()


async def test_a_database_with_migrations_this_version_lacks_is_refused(database_url: str) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        await apply_migrations(conn, INTAKE)
        await conn.execute(
            f"INSERT INTO {INTAKE.record_table} (name, checksum) VALUES ('999_later.sql', 'x')"
        )
        with pytest.raises(RuntimeError, match=r"intake migrations \['999_later.sql'\] this version lacks"):
            await apply_migrations(conn, INTAKE)
    finally:
        await conn.close()
