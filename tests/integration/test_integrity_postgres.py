"""Tamper evidence against a real PostgreSQL: an operator with write access changes, deletes or reorders
stored events through SQL, and ``klachtspoor verify`` finds and names each; erasing a case does not break
its chain; a dropped last event, or a consistently rewritten stream, is found against exported anchors."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from click.testing import Result
from typer.testing import CliRunner

from contracts.base import Actor
from contracts.events.intake import SignalReceived
from contracts.values import Complainant
from contracts.vocabulary import Channel, ComplainantCapacity, Role
from klachtspoor.cli.main import app
from klachtspoor.codec import EventCodec, make_envelope
from klachtspoor.crypto import Keyring, MasterKey
from klachtspoor.crypto.postgres import PostgresKeyStore
from klachtspoor.eventstore.port import NewEvent, StreamState
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.integrity.anchorstore import PostgresAnchors
from klachtspoor.integrity.chain import CHAIN_KEY, ZERO_HASH, canonical_form, content_hash
from klachtspoor.integrity.job import AnchorJob
from klachtspoor.integrity.store import ChainedEventStore
from klachtspoor.integrity.verify import verify_stream
from klachtspoor.settings import get_settings

TENANT = "jeugdzorg-noord"
OTHER = "jeugdzorg-zuid"
CASE = "c1"
STREAM = case_stream(TENANT, CASE)


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[ChainedEventStore]:
    chained = ChainedEventStore(await PostgresEventStore.connect(database_url, notify=False, pool_size=4))
    for tenant, case in ((TENANT, CASE), (TENANT, "c2"), (OTHER, "c3")):
        for n in range(3):
            event = NewEvent(uuid.uuid4(), "Noted", tenant, {"n": n, "note": "enc:v1:x"}, {"case_id": case})
            await chained.append(case_stream(tenant, case), [event], StreamState.ANY)
    await _settled(chained, 9)
    yield chained
    await chained.close()


async def _settled(store: ChainedEventStore, count: int) -> None:
    """Wait until the global log shows ``count`` events: it holds back events behind any transaction
    still open in the cluster (other tests' too), and verify reads the log."""
    async with asyncio.timeout(30):
        while True:
            if len(await store.read_all(limit=count + 1)) >= count:
                return
            await asyncio.sleep(0.01)


async def _cli(database_url: str, *args: str) -> Result:
    """The CLI in a thread: it runs its own event loop."""

    def invoke() -> Result:
        get_settings.cache_clear()
        try:
            env = {"KLACHTSPOOR_DATABASE_URL": database_url, "COLUMNS": "250"}
            return CliRunner().invoke(app, list(args), env=env)
        finally:
            get_settings.cache_clear()

    return await asyncio.to_thread(invoke)


async def _verify(database_url: str, *args: str) -> tuple[int, dict[str, Any]]:
    result = await _cli(database_url, "verify", "--json", *args)
    return result.exit_code, json.loads(result.stdout)


async def _sql(database_url: str, *statements: str) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


async def _event_id(database_url: str, stream: str, version: int) -> str:
    conn = await asyncpg.connect(database_url)
    try:
        found = await conn.fetchval(
            "SELECT event_id FROM eventstore.events WHERE stream_name = $1 AND version = $2", stream, version
        )
        return str(found)
    finally:
        await conn.close()


async def test_an_intact_log_verifies_whole_per_tenant_and_per_case(
    store: ChainedEventStore, database_url: str
) -> None:
    assert await _verify(database_url) == (
        0,
        {
            "intact": True,
            "checked": 9,
            "streams": 3,
            "unchained": 0,
            "anchors_matched": 0,
            "chain_break": None,
            "anchor_break": None,
        },
    )
    code, tenant = await _verify(database_url, "--tenant", OTHER)
    assert (code, tenant["checked"], tenant["streams"]) == (0, 3, 1)
    code, case = await _verify(database_url, "--tenant", TENANT, "--case", CASE)
    assert (code, case["checked"], case["streams"]) == (0, 3, 1)
    people = await _cli(database_url, "verify")
    assert people.exit_code == 0 and "Intact" in people.stdout and "9 gebeurtenissen" in people.stdout


async def test_data_changed_through_sql_is_found_and_named(
    store: ChainedEventStore, database_url: str
) -> None:
    tampered = await _event_id(database_url, STREAM, 1)
    await _sql(
        database_url,
        f"UPDATE eventstore.events SET data = jsonb_set(data, '{{n}}', '99')"
        f" WHERE stream_name = '{STREAM}' AND version = 1",
    )
    for args in ((), ("--tenant", TENANT), ("--tenant", TENANT, "--case", CASE)):
        code, report = await _verify(database_url, *args)
        assert code == 1 and not report["intact"], args
        broken = report["chain_break"]
        assert (broken["stream"], broken["version"], broken["event_id"]) == (STREAM, 1, tampered)
        assert broken["problem"] == "content hash" and broken["expected"] != broken["found"]
    people = await _cli(database_url, "verify")
    assert people.exit_code == 1
    assert f"Stream {STREAM} version 1 (event {tampered}): content hash differs" in people.stdout


async def test_a_deleted_event_is_found_and_named(store: ChainedEventStore, database_url: str) -> None:
    following = await _event_id(database_url, STREAM, 2)
    await _sql(database_url, f"DELETE FROM eventstore.events WHERE stream_name = '{STREAM}' AND version = 1")
    for args in ((), ("--tenant", TENANT, "--case", CASE)):
        code, report = await _verify(database_url, *args)
        broken = report["chain_break"]
        assert code == 1 and (broken["stream"], broken["version"], broken["event_id"]) == (
            STREAM,
            2,
            following,
        )
        assert broken["problem"] == "version gap"
        assert (broken["expected"], broken["found"]) == ("version 1", "version 2")


async def test_two_swapped_events_are_found_and_named(store: ChainedEventStore, database_url: str) -> None:
    first, second = await _event_id(database_url, STREAM, 1), await _event_id(database_url, STREAM, 2)
    where = f"stream_name = '{STREAM}' AND event_id"
    await _sql(
        database_url,
        f"UPDATE eventstore.events SET version = -1 WHERE {where} = '{first}'",
        f"UPDATE eventstore.events SET version = 1 WHERE {where} = '{second}'",
        f"UPDATE eventstore.events SET version = 2 WHERE {where} = '{first}'",
    )
    code, case = await _verify(database_url, "--tenant", TENANT, "--case", CASE)
    broken = case["chain_break"]
    assert code == 1 and (broken["version"], broken["event_id"], broken["problem"]) == (
        1,
        second,
        "predecessor hash",
    )
    code, whole = await _verify(database_url)
    broken = whole["chain_break"]
    # In log order the first of the two now claims version 2, right after version 0.
    assert code == 1 and (broken["stream"], broken["event_id"], broken["problem"]) == (
        STREAM,
        first,
        "version gap",
    )


async def test_an_erased_case_still_verifies(database_url: str) -> None:
    keys = await PostgresKeyStore.open(database_url)
    store = ChainedEventStore(await PostgresEventStore.connect(database_url, notify=False, pool_size=2))
    try:
        keyring = Keyring(keys, MasterKey.from_base64(MasterKey.generate_base64()))
        codec = EventCodec(keyring)
        case_id = uuid.uuid4()
        signal = SignalReceived(
            channel=Channel.PHONE,
            received_on=date(2026, 3, 2),
            complainant=Complainant(
                capacity=ComplainantCapacity.CLIENT, name="Voorbeeld", phone="0600000000"
            ),
            description="Voorbeeld voelde zich niet gehoord",
        )
        envelope = make_envelope(
            signal,
            event_id=uuid.uuid4(),
            tenant=TENANT,
            stream=case_stream(TENANT, str(case_id)),
            case_id=case_id,
            actor=Actor(id="staff-17", role=Role.CARE_WORKER),
            occurred_at=datetime(2026, 3, 2, 10, 30, tzinfo=UTC),
            correlation_id=uuid.uuid4(),
        )
        await store.append(envelope.stream, [await codec.encode(envelope)], StreamState.NO_STREAM)
        before = await store.inner.read_stream(envelope.stream)
        assert "enc:v1:" in json.dumps(dict(before[0].data))
        await keyring.erase_case(TENANT, str(case_id), "staff-17")
        assert await keyring.is_erased(TENANT, str(case_id))
        after = await store.read_stream(envelope.stream)
        decoded = await codec.decode(after[0])
        assert isinstance(decoded.event, SignalReceived) and decoded.event.description == "[verwijderd]"
        assert verify_stream(after) is None
        await _settled(store, 1)
    finally:
        await store.close()
        await keys.close()
    code, report = await _verify(database_url, "--tenant", TENANT, "--case", str(case_id))
    assert code == 0 and report["intact"] and report["checked"] == 1
    assert (await _verify(database_url))[0] == 0


async def test_a_dropped_last_event_is_found_against_an_exported_anchor(
    store: ChainedEventStore, database_url: str, tmp_path: Path
) -> None:
    recorded = await _cli(database_url, "anchor", "record")
    assert recorded.exit_code == 0 and "9 gebeurtenissen" in recorded.stdout, recorded.output
    exported = tmp_path / "anchors.jsonl"
    assert (await _cli(database_url, "anchor", "export", "--output", str(exported))).exit_code == 0
    [line] = exported.read_text().splitlines()
    assert json.loads(line)["count"] == 9
    assert (await _verify(database_url, "--anchors", str(exported)))[1]["anchors_matched"] == 1

    await _sql(
        database_url,
        "DELETE FROM eventstore.events"
        " WHERE global_position = (SELECT max(global_position) FROM eventstore.events)",
    )
    assert (await _verify(database_url))[0] == 0  # the chains alone cannot see a stream's last event go
    code, report = await _verify(database_url, "--anchors", str(exported))
    assert code == 1 and report["chain_break"] is None
    assert report["anchor_break"]["found_count"] == 8 and report["anchor_break"]["found_digest"] is None
    people = await _cli(database_url, "verify", "--anchors", str(exported))
    assert people.exit_code == 1 and "the log ends after 8 events" in people.stdout


async def test_a_consistently_rewritten_stream_passes_its_chain_but_not_the_anchor(
    store: ChainedEventStore, database_url: str, tmp_path: Path
) -> None:
    """An operator who rewrites an event and recomputes every hash after it fools the chain; not the
    anchor exported before."""
    assert (await _cli(database_url, "anchor", "record")).exit_code == 0
    exported = tmp_path / "anchors.jsonl"
    exported.write_text((await _cli(database_url, "anchor", "export")).stdout)

    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch(
            "SELECT * FROM eventstore.events WHERE stream_name = $1 ORDER BY version", STREAM
        )
        prev = ZERO_HASH
        for row in rows:
            data = json.loads(row["data"]) | ({"n": 42} if row["version"] == 1 else {})
            metadata = json.loads(row["metadata"])
            metadata[CHAIN_KEY] = {"v": 1, "prev": prev}
            prev = content_hash(
                canonical_form(STREAM, row["event_id"], row["type"], row["tenant"], 1, data, metadata)
            )
            metadata[CHAIN_KEY]["hash"] = prev
            await conn.execute(
                "UPDATE eventstore.events SET data = $1::jsonb, metadata = $2::jsonb WHERE event_id = $3",
                json.dumps(data),
                json.dumps(metadata),
                row["event_id"],
            )
    finally:
        await conn.close()
    assert (await _verify(database_url))[0] == 0
    code, report = await _verify(database_url, "--anchors", str(exported))
    assert code == 1 and report["anchor_break"]["found_count"] == 9
    assert report["anchor_break"]["found_digest"] != report["anchor_break"]["anchor"]["digest"]


async def test_recorded_anchors_cannot_be_changed_or_removed(
    store: ChainedEventStore, database_url: str
) -> None:
    assert (await _cli(database_url, "anchor", "record")).exit_code == 0
    for statement in (
        "UPDATE integrity.anchors SET digest = repeat('0', 64)",
        "DELETE FROM integrity.anchors",
        "TRUNCATE integrity.anchors",
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
            await _sql(database_url, statement)
    second = await _cli(database_url, "anchor", "record")
    assert second.exit_code == 0 and "Niets nieuws" in second.stdout


async def test_usage_errors_exit_2(database_url: str, tmp_path: Path) -> None:
    assert (await _cli(database_url, "verify", "--case", CASE)).exit_code == 2
    anchors = tmp_path / "a.jsonl"
    anchors.write_text("")
    assert (await _cli(database_url, "verify", "--tenant", TENANT, "--anchors", str(anchors))).exit_code == 2
    assert (await _cli(database_url, "verify", "--bogus")).exit_code == 2
    assert (await _cli(database_url, "verify", "--tenant", TENANT, "--case", "a:b")).exit_code == 2


async def test_concurrent_writers_at_any_version_keep_one_chain_per_stream(
    store: ChainedEventStore, database_url: str
) -> None:
    streams = [case_stream(TENANT, f"busy{i}") for i in range(3)]

    async def writer(n: int) -> None:
        for i in range(15):
            event = NewEvent(uuid.uuid4(), "Noted", TENANT, {"w": n, "i": i})
            await store.append(streams[(n + i) % 3], [event], StreamState.ANY)

    await asyncio.gather(*(writer(n) for n in range(8)))
    for stream in streams:
        events = await store.inner.read_stream(stream)
        assert len(events) == 40 and verify_stream(events) is None
    await _settled(store, 9 + 120)
    assert (await _verify(database_url))[0] == 0


async def _anchored(job: AnchorJob, count: int) -> None:
    async with asyncio.timeout(30):
        while True:
            if job.last is not None and job.last.count >= count:
                assert job.last.count == count
                return
            await asyncio.sleep(0.01)


async def test_the_periodic_job_anchors_what_was_appended_since_and_survives_a_failed_round(
    store: ChainedEventStore, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    job = AnchorJob(store, database_url, interval=0.05)
    running = asyncio.create_task(job.run())
    try:
        await _anchored(job, 9)
        await store.append(STREAM, [NewEvent(uuid.uuid4(), "Noted", TENANT, {"n": 9})], StreamState.ANY)
        await _settled(store, 10)
        await _anchored(job, 10)
    finally:
        job.stop()
        await running
    anchors = await PostgresAnchors.open(database_url)
    try:
        assert [a.count for a in await anchors.all()] == [9, 10]
    finally:
        await anchors.close()
    broken = AnchorJob(store, "postgresql://postgres@127.0.0.1:1/none", interval=1)
    assert await broken.record_once() is None
    assert "Anchor round 1 failed" in caplog.text
