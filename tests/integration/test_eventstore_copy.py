"""``klachtspoor eventstore copy``: PostgreSQL into the EventStoreDB test server, SIGKILLed in the middle
and run again; the target is the source event for event (order, ids, data, metadata, recorded_at), its
chains verify and the source's anchors hold on it. A target holding other events is refused (the same
store as source and target: tests/unit/test_eventstore_copy_cli.py)."""

from __future__ import annotations

import asyncio
import json
import signal
import uuid

import pytest
from moving_helpers import (
    KLACHTSPOOR,
    environment,
    esdb_server,
    read_log,
    run,
    seed,
    settled,
    source,
    stored,
    target,
)

from klachtspoor.eventstore.esdb import EsdbEventStore
from klachtspoor.eventstore.port import NewEvent, StreamState
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.integrity.anchors import record_anchor
from klachtspoor.integrity.anchorstore import PostgresAnchors
from klachtspoor.integrity.audit import check_log
from klachtspoor.moving import CopyConflict, compare_stores, copy_store
from tests.esdb_server import Fault, RunningServer

__all__ = ["esdb_server", "source", "target"]  # fixtures

EVENTS = 300


async def test_a_copy_killed_in_the_middle_and_run_again_leaves_the_source_event_for_event(
    source: PostgresEventStore, target: EsdbEventStore, esdb_server: RunningServer, database_url: str
) -> None:
    streams = await seed(source, EVENTS)
    original = await settled(source, EVENTS)
    anchors = await PostgresAnchors.open(database_url)
    try:
        anchor = await record_anchor(source, anchors)
    finally:
        await anchors.close()
    assert anchor is not None and anchor.count == EVENTS

    # About 2 calls per event (the id's claim, the append): the 201st call hangs, a third of the way in.
    esdb_server.faults.inject("BatchAppend", *[Fault()] * 200, Fault.slow(120))
    copy = [
        KLACHTSPOOR,
        "eventstore",
        "copy",
        "--to",
        esdb_server.url,
        "--namespace",
        "moved",
        "--page",
        "20",
    ]
    env = environment(database_url)
    first = await asyncio.create_subprocess_exec(
        *copy, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
    )
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while esdb_server.faults.queued["BatchAppend"] and first.returncode is None:
            assert loop.time() < deadline, "the copy did not reach the hanging append"
            await asyncio.sleep(0.01)
        assert first.returncode is None, "the copy ended before it could be killed"
        first.send_signal(signal.SIGKILL)
    finally:
        await first.wait()
    killed_with = len(await read_log(target))
    assert 0 < killed_with < EVENTS

    code, out, err = await run(copy, env)
    assert code == 0, err
    assert f"({killed_with} stonden er al)" in out
    assert f"het doel heeft nu {EVENTS} gebeurtenissen" in out
    assert "Gelijk" in out and "1 anker klopt" in out

    moved = await read_log(target)
    assert [stored(e) for e in moved] == [stored(e) for e in original]
    for stream in streams:
        assert [stored(e) for e in await target.read_stream(stream)] == [
            stored(e) for e in await source.read_stream(stream)
        ]
    report = await check_log(target)
    assert report.intact and (report.checked, report.streams, report.unchained) == (EVENTS, len(streams), 0)

    verified = [KLACHTSPOOR, "verify", "--json"]
    on_target = {"KLACHTSPOOR_EVENTSTORE_URL": esdb_server.url, "KLACHTSPOOR_EVENTSTORE_NAMESPACE": "moved"}
    code, out, err = await run(verified, environment(database_url, **on_target))
    assert code == 0, err
    assert json.loads(out)["checked"] == EVENTS


async def test_a_rerun_after_a_finished_copy_appends_nothing(
    source: PostgresEventStore, target: EsdbEventStore
) -> None:
    await seed(source, 40, streams_per_tenant=3)
    await settled(source, 40)
    first = await copy_store(source, target, page=7)
    again = await copy_store(source, target, page=7)
    assert (first.found, first.events) == (0, 40)
    assert (again.found, again.events, again.appends) == (40, 40, 0)
    comparison = await compare_stores(source, target)
    assert comparison.identical and (comparison.events, comparison.streams) == (40, 9)


async def test_a_target_holding_other_events_is_refused_naming_the_stream_and_version(
    source: PostgresEventStore, target: EsdbEventStore
) -> None:
    streams = await seed(source, 20, streams_per_tenant=2)
    await settled(source, 20)
    await copy_store(source, target, page=5)
    stranger = NewEvent(uuid.uuid4(), "NotitieToegevoegd", "jeugdzorg-noord", {"n": 99})
    head = (await target.read_stream(streams[0], backwards=True, limit=1))[0]
    await target.append(streams[0], [stranger], head.version)

    comparison = await compare_stores(source, target)
    assert not comparison.identical
    assert comparison.difference is not None and f"{streams[0]} version {head.version + 1}" in (
        comparison.difference
    )
    # Another event in the middle of the target's log: the copy finds it before appending anything.
    more = NewEvent(uuid.uuid4(), "NotitieToegevoegd", "jeugdzorg-noord", {"n": 100})
    await source.append(streams[1], [more], StreamState.EXISTS)
    await settled(source, 21)
    with pytest.raises(CopyConflict) as refused:
        await copy_store(source, target, page=5)
    assert (refused.value.stream, refused.value.version) == (streams[0], head.version + 1)
    assert refused.value.event_id == stranger.event_id
    assert len(await read_log(target)) == 21  # 20 copied and the stranger: nothing more


async def test_a_stream_the_target_already_has_at_another_version_is_refused_before_it_is_written(
    source: PostgresEventStore, target: EsdbEventStore
) -> None:
    streams = await seed(source, 6, streams_per_tenant=2)
    await settled(source, 6)
    # Written to the target outside any copy: the target's log does not start as the source's does.
    await target.append(
        streams[3], [NewEvent(uuid.uuid4(), "T", "jeugdzorg-zuid", {"x": 1})], StreamState.NO_STREAM
    )
    with pytest.raises(CopyConflict) as refused:
        await copy_store(source, target)
    assert refused.value.stream == streams[3] and refused.value.version == 0
