"""`klachtspoor projections rebuild` for reporting's projections: the fast path gives exactly the rows the
live subscribers give, and a rebuild beside the running service leaves it going on correctly."""

from __future__ import annotations

import asyncio
import sys
import uuid
from typing import Any

import asyncpg
import httpx
import test_reporting_projection as case_list_cases
import test_statistics_projection as statistics_cases
from reporting_helpers import CaseWriter

from contracts.vocabulary import Category
from klachtspoor.auth import TokenVerifier
from klachtspoor.eventstore.port import NewEvent, RecordedEvent, StreamState
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.projections import RebuildableProjection, rebuild_projection
from klachtspoor.settings import Settings
from klachtspoor.subscriptions import list_parked, load_checkpoint
from services.reporting.application import projection as reporting
from services.reporting.application import rebuilds, statistics
from services.reporting.bootstrap import bootstrap
from services.reporting.settings import ReportingSettings

TABLES = ("reporting.cases", "reporting.timeline", "reporting.case_facts")


async def rows(conn: asyncpg.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of reporting's projected tables, in a stable order."""
    return {
        table: [tuple(row.values()) for row in await conn.fetch(f"SELECT * FROM {table} ORDER BY 1, 2, 3")]
        for table in TABLES
    }


async def schema_objects(conn: asyncpg.Connection) -> list[tuple[str, str]]:
    """The tables, keys and indexes of the reporting schema by name (a swap must keep every name)."""
    found = await conn.fetch(
        "SELECT c.relname, c.relkind::text FROM pg_class AS c "
        "JOIN pg_namespace AS n ON n.oid = c.relnamespace WHERE n.nspname = 'reporting' ORDER BY 1"
    )
    return [(row["relname"], row["relkind"]) for row in found]


async def write_everything(writer: CaseWriter, store: PostgresEventStore) -> RecordedEvent:
    """Both test suites' cases, and an event whose metadata does not validate (parked by both paths)."""
    await case_list_cases.write_cases(writer)
    await statistics_cases.write_cases(writer)
    stream = case_stream("t1", str(uuid.uuid4()))
    bad = NewEvent(uuid.uuid4(), "SignalReceived", "t1", {"channel": "email"}, {"actor": "nobody"})
    await store.append(stream, [bad], StreamState.NO_STREAM)
    [recorded] = await store.read_stream(stream)
    return recorded


def projections(url: str) -> list[RebuildableProjection]:
    settings = Settings(database_url=url)
    return [rebuilds.case_list(settings), rebuilds.case_facts(settings)]


async def test_the_fast_rebuild_gives_exactly_the_live_subscribers_rows(
    store: PostgresEventStore, writer: CaseWriter, database_url: str
) -> None:
    bad = await write_everything(writer, store)
    last = max(writer.last_position, bad.position)
    await statistics_cases.project(store, database_url, last, statistics.statistics_projection(batch_size=3))
    await statistics_cases.project(store, database_url, last, reporting.reporting_projection(batch_size=3))
    conn = await asyncpg.connect(database_url)
    try:
        live = await rows(conn)
        objects = await schema_objects(conn)
        live_parked = {(p.subscriber, p.event_id) for p in await list_parked(conn)}
        for each in projections(database_url):
            # Small pages and writes: the fold replaces rows it wrote before, across pages.
            result = await rebuild_projection(store, conn, each, page=4, write_every=5)
            assert (result.events, result.parked, result.checkpoint) == (len(await _log(store)), 1, last)
            assert await load_checkpoint(conn, each.name) == last
        rebuilt = await rows(conn)
        assert await schema_objects(conn) == objects
        rebuilt_parked = {(p.subscriber, p.event_id) for p in await list_parked(conn)}
    finally:
        await conn.close()
    assert rebuilt == live
    assert len(live["reporting.timeline"]) > 20 and len(live["reporting.case_facts"]) == 7
    assert live_parked == rebuilt_parked == {("reporting", bad.event_id), ("statistics", bad.event_id)}


async def _log(store: PostgresEventStore) -> list[RecordedEvent]:
    return await store.read_all(limit=10_000)


async def test_a_rebuild_while_the_service_runs_and_writes_go_on(
    store: PostgresEventStore, writer: CaseWriter, database_url: str, verifier: TokenVerifier
) -> None:
    await case_list_cases.write_cases(writer)
    app = bootstrap(
        ReportingSettings(database_url=database_url), store=store, verifier=verifier, telemetry=False
    ).app
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://reporting"),
    ):
        await asyncio.wait_for(app.state.projection.wait_until(writer.last_position), timeout=60)

        async def keep_writing() -> None:
            for _ in range(15):
                await writer.open_case("t1", Category.REPORTING)
                await asyncio.sleep(0.01)

        conn = await asyncpg.connect(database_url)
        try:
            writing = asyncio.create_task(keep_writing())
            for each in projections(database_url):
                await rebuild_projection(store, conn, each, page=3, write_every=4)
            await writing
            await statistics_cases.write_cases(writer)  # after the swap: the live subscribers carry on
            await asyncio.wait_for(app.state.projection.wait_until(writer.last_position), timeout=60)
            await asyncio.wait_for(app.state.statistics.wait_until(writer.last_position), timeout=60)
            live = await rows(conn)
            for each in projections(database_url):  # quiet now: a fresh rebuild from the whole log
                await rebuild_projection(store, conn, each)
            fresh = await rows(conn)
        finally:
            await conn.close()
    assert live == fresh
    assert len(live["reporting.cases"]) == 3 + 15 + 4
    assert len(live["reporting.case_facts"]) == 3 + 15 + 4


_KILLED_REBUILD = """
import asyncio, sys, time
import asyncpg
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.projections import rebuild_projection
from klachtspoor.settings import Settings
from services.reporting.application.rebuilds import case_facts

async def main(url):
    store = await PostgresEventStore.connect(url, pool_size=2)
    conn = await asyncpg.connect(url)
    def stall(events):
        print("folding", events, flush=True)
        time.sleep(3600)  # killed here, in the middle of the rebuild
    await rebuild_projection(store, conn, case_facts(Settings(database_url=url)), page=2, progress=stall)

asyncio.run(main(sys.argv[1]))
"""


async def test_a_rebuild_killed_in_the_middle_leaves_the_live_rows_and_a_new_one_succeeds(
    store: PostgresEventStore, writer: CaseWriter, database_url: str
) -> None:
    await statistics_cases.write_cases(writer)
    await statistics_cases.project(
        store, database_url, writer.last_position, statistics.statistics_projection()
    )
    conn = await asyncpg.connect(database_url)
    try:
        live = await rows(conn)
        checkpoint = await load_checkpoint(conn, statistics.PROJECTION_NAME)
        rebuild = await asyncio.create_subprocess_exec(
            sys.executable, "-c", _KILLED_REBUILD, database_url, stdout=asyncio.subprocess.PIPE
        )
        assert rebuild.stdout is not None
        line = await asyncio.wait_for(rebuild.stdout.readline(), timeout=60)
        assert line.startswith(b"folding")
        shadow = await conn.fetchval("SELECT to_regclass('reporting.case_facts__rebuild')::text")
        rebuild.kill()
        await rebuild.wait()
        assert shadow == "reporting.case_facts__rebuild"  # the killed one was building beside the live table
        assert await rows(conn) == live
        assert await load_checkpoint(conn, statistics.PROJECTION_NAME) == checkpoint
        result = await rebuild_projection(
            store, conn, rebuilds.case_facts(Settings(database_url=database_url))
        )
        assert await rows(conn) == live
        assert await conn.fetchval("SELECT to_regclass('reporting.case_facts__rebuild')") is None
    finally:
        await conn.close()
    assert result.checkpoint == checkpoint
