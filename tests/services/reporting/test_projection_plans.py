"""The lookups the projections make for every event use the primary key, also on a table without
statistics (a new deployment, a rebuild's shadow tables).

asyncpg prepares every statement, and PostgreSQL may then run it with a generic plan. On an empty table
that has never been analysed, a generic plan once chose an index on the tenant alone for the statistics'
lookup of one case, reading every case of the tenant per event. The queries are taken from the
projections' own functions (recorded as they run), so a changed query is checked as it is.

The case list's lookup (``rows.load_case``) is not here: on an empty table its generic plan takes the
status index (tenant, status, opened_at, case_id) with both columns as index conditions, which
PostgreSQL 18 runs as a skip scan of about one entry per lookup (seen in ``pg_stat_user_indexes`` after a
bench run) and older servers as a scan of the tenant's entries until the first automatic analyse.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from uuid import uuid4

import asyncpg
import pytest

from services.reporting.adapters import facts
from services.reporting.adapters.schema import apply_schema

Lookup = Callable[[asyncpg.Connection], Awaitable[object]]

LOOKUPS: dict[str, tuple[Lookup, str]] = {
    "case facts of one case": (
        lambda conn: facts.load_stored(conn, "demo", uuid4()),
        "case_facts_pkey",
    ),
}


def _indexes(plan: dict[str, object]) -> set[str]:
    found = {str(plan["Index Name"])} if "Index Name" in plan else set()
    for child in plan.get("Plans", []):  # type: ignore[attr-defined]
        found |= _indexes(child)
    return found


@pytest.mark.parametrize("name", sorted(LOOKUPS))
async def test_the_generic_plan_of_a_lookup_uses_the_primary_key(database_url: str, name: str) -> None:
    lookup, primary_key = LOOKUPS[name]
    conn = await asyncpg.connect(database_url)
    try:
        await apply_schema(conn)
        queries: list[asyncpg.connection.LoggedQuery] = []
        conn.add_query_logger(queries.append)
        await lookup(conn)
        await asyncio.sleep(0)  # the logger is called soon after the query, not during it
        conn.remove_query_logger(queries.append)
        # asyncpg's own introspection of the column types is logged too; the lookup reads a reporting table
        (logged,) = [query for query in queries if "FROM reporting." in query.query]
        await conn.execute("SET plan_cache_mode = force_generic_plan")
        await conn.execute(f"PREPARE lookup AS {logged.query}")
        # EXECUTE takes no parameters of its own: the lookup's arguments as quoted literals
        literals = [await conn.fetchval("SELECT quote_literal($1::text)", str(arg)) for arg in logged.args]
        explained = await conn.fetchval(f"EXPLAIN (FORMAT JSON) EXECUTE lookup({', '.join(literals)})")
    finally:
        await conn.close()
    plan = json.loads(explained)[0]["Plan"]
    assert _indexes(plan) == {primary_key}, json.dumps(plan)
