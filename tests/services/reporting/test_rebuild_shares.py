"""A per-stream projection rebuilt in several processes, each folding a share of the streams: the same rows
as the live subscriber and as a rebuild in one process, events parked in another process parked here,
and a share process that dies stops the rebuild with the live tables untouched."""

from __future__ import annotations

import multiprocessing
import uuid

import asyncpg
import pytest
import test_reporting_projection as case_list_cases
import test_statistics_projection as statistics_cases
from reporting_helpers import CaseWriter
from test_reporting_rebuilds import rows

from contracts.vocabulary import Category
from klachtspoor.eventstore.port import NewEvent, RecordedEvent, StreamState
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.projections import ShareFailed, rebuild_projection
from klachtspoor.projections.folding import share_of
from klachtspoor.settings import Settings
from klachtspoor.subscriptions import list_parked, load_checkpoint
from services.reporting.application import projection as reporting
from services.reporting.application import rebuilds


async def bad_event_in_share(store: PostgresEventStore, share: int, shares: int) -> RecordedEvent:
    """An event whose metadata does not validate, on a stream of the given share."""
    while share_of(stream := case_stream("t1", str(uuid.uuid4())), shares) != share:
        pass
    bad = NewEvent(uuid.uuid4(), "SignalReceived", "t1", {"channel": "email"}, {"actor": "nobody"})
    await store.append(stream, [bad], StreamState.NO_STREAM)
    [recorded] = await store.read_stream(stream)
    return recorded


async def cases_in_every_share(writer: CaseWriter, shares: int, each: int = 1) -> None:
    """Open cases until every share has ``each`` of its own (case ids are random, so the cases written
    before may all have fallen to one share): every share process then has cases to fold."""
    opened = [0] * shares
    while min(opened) < each:
        case_id, _ = await writer.open_case("t1", Category.TREATMENT)
        opened[share_of(case_stream("t1", str(case_id)), shares)] += 1


async def test_two_processes_give_the_live_rows_and_park_what_the_other_process_refused(
    store: PostgresEventStore, writer: CaseWriter, database_url: str
) -> None:
    await case_list_cases.write_cases(writer)
    await statistics_cases.write_cases(writer)
    await cases_in_every_share(writer, 2)
    bad = await bad_event_in_share(store, 1, 2)  # folded by the share process, parked by this one
    last = max(writer.last_position, bad.position)
    await statistics_cases.project(store, database_url, last, reporting.reporting_projection(batch_size=3))
    settings = Settings(database_url=database_url)
    conn = await asyncpg.connect(database_url)
    try:
        live = await rows(conn)
        result = await rebuild_projection(
            store, conn, rebuilds.case_list(settings), page=4, write_every=5, processes=2, settings=settings
        )
        rebuilt = await rows(conn)
        parked = await list_parked(conn, reporting.PROJECTION_NAME)
        checkpoint = await load_checkpoint(conn, reporting.PROJECTION_NAME)
    finally:
        await conn.close()
    streams = {case_stream(row[0], str(row[1])) for row in live["reporting.timeline"]}
    assert {share_of(stream, 2) for stream in streams} == {0, 1}  # both shares had cases to fold
    assert rebuilt["reporting.cases"] == live["reporting.cases"]
    assert rebuilt["reporting.timeline"] == live["reporting.timeline"]
    assert (result.processes, result.parked, result.checkpoint, checkpoint) == (2, 1, last, last)
    assert [(p.event_id, p.error_type) for p in parked] == [
        (bad.event_id, "services.reporting.adapters.decoding.UnreadableEvent")
    ]


async def test_a_share_process_that_dies_stops_the_rebuild_and_leaves_the_live_rows(
    store: PostgresEventStore, writer: CaseWriter, database_url: str
) -> None:
    await case_list_cases.write_cases(writer)
    await cases_in_every_share(writer, 2, each=10)  # the share process is still folding when killed
    await statistics_cases.project(
        store, database_url, writer.last_position, reporting.reporting_projection()
    )
    settings = Settings(database_url=database_url)
    projection = rebuilds.case_list(settings)
    killed: list[int] = []

    def kill_the_share_process(events: int) -> None:
        for child in multiprocessing.active_children():
            if child.name.startswith("rebuild-share-") and child.pid is not None:
                child.kill()
                killed.append(child.pid)

    conn = await asyncpg.connect(database_url)
    try:
        live = await rows(conn)
        checkpoint = await load_checkpoint(conn, reporting.PROJECTION_NAME)
        with pytest.raises(ShareFailed, match=r"Share 1 of the rebuild: its process ended \(exit code -9\)"):
            await rebuild_projection(
                store,
                conn,
                projection,
                page=2,
                progress=kill_the_share_process,
                processes=2,
                settings=settings,
            )
        assert killed
        assert await rows(conn) == live
        assert await load_checkpoint(conn, reporting.PROJECTION_NAME) == checkpoint
        result = await rebuild_projection(store, conn, projection, processes=2, settings=settings)
        assert await rows(conn) == live
        assert await conn.fetchval("SELECT to_regclass('reporting.cases__rebuild')") is None
    finally:
        await conn.close()
    assert result.checkpoint == checkpoint
    assert not [child for child in multiprocessing.active_children() if child.name.startswith("rebuild-")]
