"""Bulk writes of whole rows for a rebuild: COPY into the table the rebuild names (a shadow of the
live one), replacing the cases written before. Callers own the transactions."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from uuid import UUID

import asyncpg

CaseKey = tuple[str, UUID]
"""(tenant, case id): the key of a case row."""


async def copy_rows(
    conn: asyncpg.Connection, table: str, columns: Sequence[str], records: Iterable[Sequence[object]]
) -> None:
    schema, _, name = table.partition(".")
    await conn.copy_records_to_table(name, schema_name=schema, columns=list(columns), records=records)


async def replace_case_rows(
    conn: asyncpg.Connection,
    table: str,
    columns: Sequence[str],
    records: Sequence[Sequence[object]],
    replaced: Collection[CaseKey],
) -> None:
    """Delete the rows of the ``replaced`` cases (written by an earlier call), then COPY ``records``."""
    if replaced:
        schema, _, name = table.partition(".")
        await conn.execute(
            f'DELETE FROM "{schema}"."{name}" WHERE (tenant, case_id) IN '
            "(SELECT * FROM unnest($1::text[], $2::uuid[]))",
            [tenant for tenant, _ in replaced],
            [case_id for _, case_id in replaced],
        )
    await copy_rows(conn, table, columns, records)
