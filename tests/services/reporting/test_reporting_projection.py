"""The reporting projection on a real PostgreSQL event store: rows, privacy, idempotence, rebuild."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from uuid import UUID, uuid4

import asyncpg
from reporting_helpers import PERSONAL, T0, CaseWriter, read_model

from contracts.base import Actor
from contracts.events import (
    CaseClosed,
    ComplaintFiled,
    NotificationRequested,
    NotificationSent,
    TermStarted,
)
from contracts.values import Term
from contracts.vocabulary import (
    Category,
    Channel,
    DeadlineKind,
    EscalationStep,
    NotificationChannel,
    NotificationKind,
    Recipient,
    Resolution,
    Role,
    TermUnit,
)
from klachtspoor.eventstore.port import NewEvent, Position, StreamState
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.subscriptions import RetryPolicy, SubscriptionRunner, list_parked, load_checkpoint
from services.reporting.adapters.schema import apply_schema
from services.reporting.application.projection import PROJECTION_NAME, handle, rebuild, reporting_projection

ESCALATION = Actor(id="escalation", role=Role.SYSTEM)
NOTIFY = Actor(id="notify", role=Role.SYSTEM)


async def project(store: PostgresEventStore, url: str, until: Position) -> None:
    """Run the projection until its checkpoint reaches ``until``, then stop it."""
    runner = SubscriptionRunner(
        store, url, reporting_projection(batch_size=50), retry=RetryPolicy(attempts=1, backoff=0.0)
    )
    conn = await asyncpg.connect(url)
    try:
        await apply_schema(conn)
    finally:
        await conn.close()
    task = asyncio.create_task(runner.run())
    try:
        await asyncio.wait_for(runner.wait_until(until), timeout=30)
    finally:
        runner.stop()
        await asyncio.wait_for(task, timeout=30)


async def write_cases(writer: CaseWriter) -> dict[str, UUID]:
    """Case a: acknowledged, first contact due; case b: recategorised and closed; case c: other tenant."""
    a, _ = await writer.open_case("t1", Category.TREATMENT, reference="KS-2026-000001")
    notification = uuid4()
    await writer.append(
        "t1",
        a,
        NotificationRequested(
            notification_id=notification,
            kind=NotificationKind.ACKNOWLEDGEMENT,
            recipient=Recipient.COMPLAINANT,
            channel=NotificationChannel.EMAIL,
        ),
        TermStarted(
            deadline=DeadlineKind.FIRST_CONTACT,
            started_on=date(2026, 3, 2),
            term=Term(amount=2, unit=TermUnit.WORKING_DAYS),
            due_on=date(2026, 3, 4),
        ),
        actor=ESCALATION,
    )
    await writer.append(
        "t1",
        a,
        NotificationSent(notification_id=notification, channel=NotificationChannel.EMAIL, attempt=1),
        actor=NOTIFY,
    )
    b, _ = await writer.open_case("t1", Category.TREATMENT, Category.INFORMATION)
    await writer.append(
        "t1",
        b,
        ComplaintFiled(
            filed_with=EscalationStep.MANAGER,
            channel=Channel.LETTER,
            received_on=date(2026, 3, 3),
            written=True,
            description="voelt zich niet gehoord",
            categories=(Category.REPORTING, Category.TREATMENT),
        ),
    )
    await writer.append("t1", b, CaseClosed(resolution=Resolution.RESOLVED_INFORMALLY))
    c, _ = await writer.open_case("t2", Category.TREATMENT)
    return {"a": a, "b": b, "c": c}


async def test_cases_and_timeline_follow_the_events(
    store: PostgresEventStore, writer: CaseWriter, database_url: str
) -> None:
    ids = await write_cases(writer)
    await project(store, database_url, writer.last_position)
    conn = await asyncpg.connect(database_url)
    try:
        cases = {row["case_id"]: row for row in await conn.fetch("SELECT * FROM reporting.cases")}
        timeline = await conn.fetch(
            "SELECT * FROM reporting.timeline WHERE case_id = $1 ORDER BY version", ids["a"]
        )
        categories = {
            (row["tenant"], row["category"]): row["n"]
            for row in await conn.fetch(
                "SELECT tenant, unnest(categories) AS category, count(*) AS n "
                "FROM reporting.cases GROUP BY 1, 2"
            )
        }
        dropped = await conn.fetchval("SELECT to_regclass('reporting.category_counts')")
        dump = await conn.fetchval(
            "SELECT string_agg(t::text, ' ') FROM (SELECT c::text AS t FROM reporting.cases c "
            "UNION ALL SELECT l::text FROM reporting.timeline l) rows"
        )
    finally:
        await conn.close()

    a, b, c = cases[ids["a"]], cases[ids["b"]], cases[ids["c"]]
    assert (a["tenant"], a["reference"], a["status"], a["version"]) == (
        "t1",
        "KS-2026-000001",
        "acknowledged",
        4,
    )
    assert (a["next_deadline_kind"], a["next_deadline_due_on"]) == ("first_contact", date(2026, 3, 4))
    assert (a["opened_at"], a["received_on"]) == (T0 + timedelta(minutes=1), date(2026, 3, 2))
    assert a["last_event_at"] == T0 + timedelta(minutes=5)
    assert list(a["categories"]) == ["treatment"]
    assert (b["status"], list(b["categories"]), b["next_deadline_kind"]) == (
        "closed",
        ["information", "reporting", "treatment"],
        None,
    )
    assert (c["tenant"], c["status"]) == ("t2", "open")

    assert [(r["version"], r["type"], r["actor_id"], r["actor_role"]) for r in timeline] == [
        (0, "SignalReceived", "intake", "system"),
        (1, "CaseReferenceAssigned", "intake", "system"),
        (2, "NotificationRequested", "escalation", "system"),
        (3, "TermStarted", "escalation", "system"),
        (4, "NotificationSent", "notify", "system"),
    ]
    assert [r["occurred_at"] for r in timeline] == [T0 + timedelta(minutes=m) for m in range(1, 6)]
    assert all(r["recorded_at"] is not None for r in timeline)

    assert dropped is None  # migration 011: the case facts count categories now
    assert categories == {
        ("t1", "treatment"): 2,
        ("t1", "information"): 1,
        ("t1", "reporting"): 1,
        ("t2", "treatment"): 1,
    }
    assert not [value for value in PERSONAL if value in dump]
    assert "enc:" not in dump


async def test_handling_every_event_twice_gives_the_same_rows_as_once(
    store: PostgresEventStore, writer: CaseWriter, database_url: str
) -> None:
    ids = await write_cases(writer)
    # By stream, not from the global log: that shows a commit only once older transactions anywhere end.
    streams = [
        case_stream("t1", str(ids["a"])),
        case_stream("t1", str(ids["b"])),
        case_stream("t2", str(ids["c"])),
    ]
    recorded = [event for stream in streams for event in await store.read_stream(stream)]
    conn = await asyncpg.connect(database_url)
    try:
        await apply_schema(conn)
        for event in recorded:
            async with conn.transaction():
                await handle(conn, event)
        once = await read_model(conn)
        for event in recorded:
            async with conn.transaction():
                await handle(conn, event)
        assert await read_model(conn) == once
        assert len(once["reporting.timeline"]) == len(recorded) == 11
    finally:
        await conn.close()


async def test_a_rebuild_replays_to_the_same_rows(
    store: PostgresEventStore, writer: CaseWriter, database_url: str
) -> None:
    await write_cases(writer)
    await project(store, database_url, writer.last_position)
    conn = await asyncpg.connect(database_url)
    try:
        before = await read_model(conn)
        await rebuild(conn)
        emptied = await read_model(conn)
        checkpoint = await load_checkpoint(conn, PROJECTION_NAME)
        await project(store, database_url, writer.last_position)
        after = await read_model(conn)
    finally:
        await conn.close()
    assert all(rows == [] for rows in emptied.values())
    assert checkpoint < writer.appended[0].position
    assert after == before
    assert len(before["reporting.cases"]) == 3


async def test_an_unknown_type_reaches_the_timeline_and_an_invalid_event_is_parked(
    store: PostgresEventStore, writer: CaseWriter, database_url: str
) -> None:
    case_id, _ = await writer.open_case("t1", Category.OTHER)
    stream = case_stream("t1", str(case_id))
    metadata = {
        "case_id": str(case_id),
        "correlation_id": str(case_id),
        "actor": {"id": "future-service", "role": "system"},
        "occurred_at": "2026-03-03T10:00:00+00:00",
    }
    unknown = NewEvent(uuid4(), "SomethingNew", "t1", {"x": 1}, metadata)
    invalid = NewEvent(uuid4(), "CaseClosed", "t1", {"resolution": "no-such-resolution"}, metadata)
    await store.append(stream, [unknown, invalid], StreamState.ANY)
    last = await writer.append("t1", case_id, CaseClosed(resolution=Resolution.DUPLICATE))
    await project(store, database_url, last.position)
    conn = await asyncpg.connect(database_url)
    try:
        types = [r["type"] for r in await conn.fetch("SELECT type FROM reporting.timeline ORDER BY version")]
        status = await conn.fetchval("SELECT status FROM reporting.cases WHERE case_id = $1", case_id)
        parked = await list_parked(conn, PROJECTION_NAME)
    finally:
        await conn.close()
    assert types == ["SignalReceived", "CaseReferenceAssigned", "SomethingNew", "CaseClosed"]
    assert status == "closed"
    assert [(p.event_id, p.type) for p in parked] == [(invalid.event_id, "CaseClosed")]
    assert "resolution" in parked[0].error
