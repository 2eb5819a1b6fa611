"""``klachtspoor eventstore switch``: with the stores the same, it records the move (anchors go on from
there in the new store, and the old anchors still match it) and forgets every checkpoint; with the old
store one event ahead, it changes nothing."""

from __future__ import annotations

import uuid

import asyncpg
from moving_helpers import KLACHTSPOOR, environment, esdb_server, read_log, run, seed, settled, source, target

from klachtspoor.eventstore.esdb import EsdbEventStore
from klachtspoor.eventstore.port import NewEvent, Position, StreamState
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.integrity.anchors import record_anchor
from klachtspoor.integrity.anchorstore import PostgresAnchors
from klachtspoor.integrity.audit import check_log
from klachtspoor.integrity.store import ChainedEventStore
from klachtspoor.moving import copy_store
from klachtspoor.subscriptions import apply_schema, load_checkpoint, save_checkpoint
from tests.esdb_server import RunningServer

__all__ = ["esdb_server", "source", "target"]  # fixtures


async def test_the_switch_records_the_move_so_anchors_go_on_in_the_new_store_and_forgets_checkpoints(
    source: PostgresEventStore, target: EsdbEventStore, esdb_server: RunningServer, database_url: str
) -> None:
    streams = await seed(source, 30, streams_per_tenant=3)
    await settled(source, 30)
    table = await PostgresAnchors.open(database_url)
    conn = await asyncpg.connect(database_url)
    try:
        assert (await record_anchor(source, table) or None) is not None
        await apply_schema(conn)
        await save_checkpoint(conn, "reporting", Position(123456, 30))
        await copy_store(source, target)
        late = NewEvent(uuid.uuid4(), "NotitieToegevoegd", "jeugdzorg-noord", {"n": "te laat"})
        await ChainedEventStore(source).append(streams[0], [late], StreamState.EXISTS)
        await settled(source, 31)

        switch = [KLACHTSPOOR, "eventstore", "switch", "--to", esdb_server.url, "--namespace", "moved"]
        code, out, _ = await run([*switch, "--yes"], environment(database_url))
        assert code == 1 and "Niets veranderd" in out
        assert "the target ends after 30 events" in out
        assert await table.last_move() is None
        assert await load_checkpoint(conn, "reporting") == Position(123456, 30)

        await copy_store(source, target)
        code, out, err = await run([*switch, "--yes"], environment(database_url))
        assert code == 0, err
        assert "Verhuizing vastgelegd" in out and "reporting (stond op 123456/30)" in err
        assert await conn.fetchval("SELECT count(*) FROM subscriptions.checkpoints") == 0
        move = await table.last_move()
        moved = await read_log(target)
        assert move is not None and (move.count, move.position) == (31, moved[-1].position)

        # The services now write to the new store; the next anchor goes on from the move.
        writer = ChainedEventStore(target)
        for stream in streams[:4]:
            await writer.append(
                stream, [NewEvent(uuid.uuid4(), "T", stream.split(":")[1], {})], StreamState.ANY
            )
        anchor = await record_anchor(target, table)
        after = await read_log(target)
        assert anchor is not None and (anchor.count, anchor.at) == (35, after[-1].position)
        report = await check_log(target, anchors=await table.all())
        assert report.intact and (report.anchors_matched, report.checked) == (2, 35)
    finally:
        await conn.close()
        await table.close()
