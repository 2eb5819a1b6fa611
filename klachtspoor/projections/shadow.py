"""Shadow copies of a projection's tables, and the swap that puts them in place.

A shadow is created empty with the live table's columns, defaults and check constraints but without its
keys and indexes, so a bulk load does not maintain them row by row; :func:`index_shadows` then builds the
live table's keys and indexes on it, under temporary names. :func:`swap` (inside the caller's
transaction, with the live tables locked) drops each live table, renames its shadow into its place and
gives the keys and indexes their live names back, so the next migration finds exactly the objects it
expects. A shadow left behind by a rebuild that was killed is dropped by the next rebuild.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import asyncpg

SUFFIX = "__rebuild"
_NAME_LIMIT = 63
_INDEX_DEF = re.compile(r"^CREATE (UNIQUE )?INDEX \S+ ON (?:ONLY )?\S+ USING (.*)$", re.DOTALL)


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def split(table: str) -> tuple[str, str]:
    schema, _, name = table.partition(".")
    return schema, name


def qualified(table: str) -> str:
    schema, name = split(table)
    return f"{quote(schema)}.{quote(name)}"


def temporary(name: str) -> str:
    """``name`` with the rebuild suffix, within PostgreSQL's 63 bytes."""
    return name[: _NAME_LIMIT - len(SUFFIX)] + SUFFIX


def shadow_of(table: str) -> str:
    schema, name = split(table)
    return f"{schema}.{temporary(name)}"


async def create_shadows(conn: asyncpg.Connection, tables: Iterable[str]) -> dict[str, str]:
    """Fresh, empty shadows of ``tables`` (a leftover one is dropped first): live name -> shadow name."""
    shadows = {}
    for table in tables:
        shadow = shadow_of(table)
        await conn.execute(f"DROP TABLE IF EXISTS {qualified(shadow)}")
        await conn.execute(
            f"CREATE TABLE {qualified(shadow)} (LIKE {qualified(table)} INCLUDING DEFAULTS "
            "INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING IDENTITY INCLUDING STORAGE)"
        )
        shadows[table] = shadow
    return shadows


async def drop_shadows(conn: asyncpg.Connection, tables: Iterable[str]) -> None:
    for table in tables:
        await conn.execute(f"DROP TABLE IF EXISTS {qualified(shadow_of(table))}")


async def index_shadows(conn: asyncpg.Connection, tables: Iterable[str]) -> None:
    """Build each live table's keys (primary, unique, exclusion) and other indexes on its shadow, then
    its foreign keys (one to another of the projection's tables points at that table's shadow)."""
    tables = tuple(tables)
    for table in tables:
        shadow = qualified(shadow_of(table))
        for name, definition in await _constraints(conn, table):
            await conn.execute(f"ALTER TABLE {shadow} ADD CONSTRAINT {quote(temporary(name))} {definition}")
        for name, definition in await _indexes(conn, table):
            match = _INDEX_DEF.match(definition)
            if match is None:
                raise ValueError(f"Cannot read the definition of index {name} on {table}: {definition}")
            unique, rest = match.group(1) or "", match.group(2)
            await conn.execute(f"CREATE {unique}INDEX {quote(temporary(name))} ON {shadow} USING {rest}")
    for table in tables:
        for name, definition, referenced in await _foreign_keys(conn, table):
            for target in tables:
                if await _same_table(conn, target, referenced):
                    definition = definition.replace(
                        f"REFERENCES {referenced}(", f"REFERENCES {qualified(shadow_of(target))}(", 1
                    )
            constraint = quote(temporary(name))
            await conn.execute(
                f"ALTER TABLE {qualified(shadow_of(table))} ADD CONSTRAINT {constraint} {definition}"
            )


async def swap(conn: asyncpg.Connection, tables: Iterable[str]) -> None:
    """Put every shadow in place of its live table; the caller's transaction holds the live tables'
    ACCESS EXCLUSIVE locks, so nobody sees the step in between."""
    tables = tuple(tables)
    names = {}
    for table in tables:
        constraints = [con for con, _ in await _constraints(conn, table)]
        constraints += [con for con, _, _ in await _foreign_keys(conn, table)]
        names[table] = (constraints, [index for index, _ in await _indexes(conn, table)])
    await conn.execute(f"DROP TABLE {', '.join(qualified(table) for table in tables)}")
    for table, (constraints, indexes) in names.items():
        schema, name = split(table)
        await conn.execute(f"ALTER TABLE {qualified(shadow_of(table))} RENAME TO {quote(name)}")
        for con in constraints:
            await conn.execute(
                f"ALTER TABLE {qualified(table)} RENAME CONSTRAINT {quote(temporary(con))} TO {quote(con)}"
            )
        for index in indexes:
            await conn.execute(
                f"ALTER INDEX {quote(schema)}.{quote(temporary(index))} RENAME TO {quote(index)}"
            )


async def _constraints(conn: asyncpg.Connection, table: str) -> list[tuple[str, str]]:
    rows = await conn.fetch(
        "SELECT conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint "
        "WHERE conrelid = $1::regclass AND contype IN ('p', 'u', 'x') ORDER BY conname",
        qualified(table),
    )
    return [(row["conname"], row["definition"]) for row in rows]


async def _foreign_keys(conn: asyncpg.Connection, table: str) -> list[tuple[str, str, str]]:
    """Foreign keys: name, definition, and the referenced table as the definition names it."""
    rows = await conn.fetch(
        "SELECT conname, pg_get_constraintdef(oid) AS definition, confrelid::regclass::text AS referenced "
        "FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f' ORDER BY conname",
        qualified(table),
    )
    return [(row["conname"], row["definition"], row["referenced"]) for row in rows]


async def _same_table(conn: asyncpg.Connection, table: str, referenced: str) -> bool:
    return bool(await conn.fetchval("SELECT $1::regclass = $2::regclass", qualified(table), referenced))


async def _indexes(conn: asyncpg.Connection, table: str) -> list[tuple[str, str]]:
    """Indexes that back no constraint (those come with :func:`_constraints`)."""
    rows = await conn.fetch(
        "SELECT c.relname, pg_get_indexdef(x.indexrelid) AS definition FROM pg_index AS x "
        "JOIN pg_class AS c ON c.oid = x.indexrelid WHERE x.indrelid = $1::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint AS k WHERE k.conindid = x.indexrelid) "
        "ORDER BY c.relname",
        qualified(table),
    )
    return [(row["relname"], row["definition"]) for row in rows]
