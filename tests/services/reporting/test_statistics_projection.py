"""The statistics projection on a real PostgreSQL event store: figures, idempotence, rebuild, and that
it leaves the reporting projection alone."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import httpx
from reporting_helpers import PERSONAL, CaseWriter

from contracts.base import Actor
from contracts.events import (
    AdmissibilityDecided,
    CaseClosed,
    ComplaintFiled,
    DeadlineBreached,
    FirstContactMade,
    JudgementGiven,
    MeasuresAnnounced,
    NotificationRequested,
    NotificationSent,
    TermStarted,
)
from contracts.values import Term
from contracts.vocabulary import (
    AdmissibilityGround,
    Category,
    Channel,
    DeadlineKind,
    EscalationStep,
    Judge,
    NotificationChannel,
    NotificationKind,
    Outcome,
    Recipient,
    Resolution,
    Role,
    TermUnit,
)
from klachtspoor.auth import TokenVerifier
from klachtspoor.eventstore.port import Position
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.subscriptions import Projection, RetryPolicy, SubscriptionRunner, load_checkpoint
from services.reporting.adapters.schema import apply_schema
from services.reporting.application import projection as reporting
from services.reporting.application import statistics
from services.reporting.bootstrap import bootstrap
from services.reporting.domain.figures import Dimension, Figures
from services.reporting.settings import ReportingSettings

ESCALATION = Actor(id="escalation", role=Role.SYSTEM)
NOTIFY = Actor(id="notify", role=Role.SYSTEM)
COMMITTEE = Actor(id="committee-1", role=Role.COMPLAINTS_COMMITTEE)


async def project(store: PostgresEventStore, url: str, until: Position, projection: Projection) -> None:
    runner = SubscriptionRunner(store, url, projection, retry=RetryPolicy(attempts=1, backoff=0.0))
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


def term(deadline: DeadlineKind, due_on: date) -> TermStarted:
    return TermStarted(
        deadline=deadline,
        started_on=date(2026, 3, 2),
        term=Term(amount=5, unit=TermUnit.WORKING_DAYS),
        due_on=due_on,
    )


async def write_cases(writer: CaseWriter) -> list[tuple[str, UUID]]:
    """a: acknowledged in time, first contact late, judged upheld with measures; b: inadmissible;
    c: a complaint to the director, still running; d: another tenant."""
    a, _ = await writer.open_case("t1", Category.TREATMENT)
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
        term(DeadlineKind.ACKNOWLEDGEMENT, date(2026, 3, 9)),
        term(DeadlineKind.FIRST_CONTACT, date(2026, 3, 4)),
        actor=ESCALATION,
    )
    await writer.append(
        "t1", a, NotificationSent(notification_id=notification, channel=NotificationChannel.EMAIL, attempt=1)
    )
    await writer.append(
        "t1",
        a,
        DeadlineBreached(deadline=DeadlineKind.FIRST_CONTACT, due_on=date(2026, 3, 4)),
        actor=ESCALATION,
    )
    await writer.append("t1", a, FirstContactMade(by_role=Role.COMPLAINTS_COMMITTEE, channel=Channel.PHONE))
    await writer.append(
        "t1",
        a,
        JudgementGiven(
            judge=Judge.COMPLAINTS_COMMITTEE,
            outcome=Outcome.UPHELD,
            reasoning=PERSONAL[4],
            given_on=date(2026, 3, 16),
        ),
        MeasuresAnnounced(
            measures_taken=True, measures=("andere mentor",), implementation_due_on=date(2026, 5, 1)
        ),
        CaseClosed(resolution=Resolution.JUDGED, outcome=Outcome.UPHELD),
        actor=COMMITTEE,
    )
    b, _ = await writer.open_case("t1", Category.PROCEDURE)
    await writer.append(
        "t1",
        b,
        AdmissibilityDecided(admissible=False, ground=AdmissibilityGround.PREVIOUSLY_HANDLED),
        CaseClosed(resolution=Resolution.INADMISSIBLE),
    )
    c = uuid4()
    await writer.append(
        "t1",
        c,
        ComplaintFiled(
            filed_with=EscalationStep.DIRECTOR,
            channel=Channel.WEB_FORM,
            received_on=date(2026, 7, 1),
            written=True,
            description=PERSONAL[4],
            categories=(Category.INFORMATION,),
        ),
    )
    d, _ = await writer.open_case("t2", Category.TREATMENT)
    return [("t1", a), ("t1", b), ("t1", c), ("t2", d)]


def table(figures: Figures) -> dict[tuple[str, Dimension, str], int]:
    return {(f.period, f.dimension, f.value): f.cases for f in figures.counts}


async def everything(conn: asyncpg.Connection) -> dict[str, Any]:
    """The rows and the figures of both tenants, for comparing two runs."""
    return {
        "rows": [
            tuple(r.values()) for r in await conn.fetch("SELECT * FROM reporting.case_facts ORDER BY 1, 2")
        ],
        "t1": await statistics.tenant_figures(conn, "t1"),
        "t2": await statistics.tenant_figures(conn, "t2"),
    }


async def test_the_figures_follow_the_events(
    store: PostgresEventStore, writer: CaseWriter, database_url: str
) -> None:
    await write_cases(writer)
    await project(store, database_url, writer.last_position, statistics.statistics_projection(batch_size=5))
    conn = await asyncpg.connect(database_url)
    try:
        figures = await statistics.tenant_figures(conn, "t1")
        other = await statistics.tenant_figures(conn, "t2")
        dump = str([tuple(r.values()) for r in await conn.fetch("SELECT * FROM reporting.case_facts")])
    finally:
        await conn.close()
    counts = table(figures)
    assert counts[("2026", Dimension.CASES, "all")] == 3
    assert counts[("2026-Q1", Dimension.CASES, "all")] == 2
    assert counts[("2026-Q3", Dimension.CHANNEL, "web_form")] == 1
    assert counts[("2026-Q3", Dimension.HIGHEST_STEP, "director")] == 1
    assert counts[("2026-Q1", Dimension.HIGHEST_STEP, "complaints_committee")] == 1
    assert counts[("2026", Dimension.OUTCOME, "upheld")] == 1
    assert counts[("2026", Dimension.OUTCOME, "inadmissible:previously_handled")] == 1
    assert counts[("2026", Dimension.OUTCOME, "open")] == 1
    assert counts[("2026", Dimension.TERM_MET, "acknowledgement")] == 1
    assert counts[("2026", Dimension.TERM_BREACHED, "first_contact")] == 1
    assert ("2026", Dimension.TERM_MET, "first_contact") not in counts
    assert counts[("2026", Dimension.MEASURES, "taken")] == 1
    assert counts[("2026", Dimension.CATEGORY, "procedure")] == 1
    # Received 2 March, judged 16 March: 10 working days; the inadmissible case ended on the day of
    # its closure (the writer's clock stays on 2 March): 0. The running case has no handling time.
    [year] = [h for h in figures.handling_times if h.period == "2026"]
    assert (year.cases, year.median, year.p90) == (2, 5.0, 10)
    assert table(other)[("2026", Dimension.CASES, "all")] == 1
    assert {f.tenant for f in other.counts} == {"t2"}
    assert not [value for value in PERSONAL if value in dump]


async def test_handling_every_event_twice_gives_the_same_rows_and_figures(
    store: PostgresEventStore, writer: CaseWriter, database_url: str
) -> None:
    cases = await write_cases(writer)
    recorded = [event for t, c in cases for event in await store.read_stream(case_stream(t, str(c)))]
    conn = await asyncpg.connect(database_url)
    try:
        await apply_schema(conn)
        for event in recorded:
            async with conn.transaction():
                await statistics.handle(conn, event)
        once = await everything(conn)
        for event in recorded:
            async with conn.transaction():
                await statistics.handle(conn, event)
        assert await everything(conn) == once
        assert len(once["rows"]) == 4
    finally:
        await conn.close()


async def test_a_rebuild_gives_the_live_figures_and_leaves_reporting_alone(
    store: PostgresEventStore, writer: CaseWriter, database_url: str
) -> None:
    await write_cases(writer)
    last = writer.last_position
    await project(store, database_url, last, statistics.statistics_projection(batch_size=3))
    await project(store, database_url, last, reporting.reporting_projection())
    conn = await asyncpg.connect(database_url)
    try:
        live = await everything(conn)
        cases_before = await conn.fetch("SELECT * FROM reporting.cases ORDER BY case_id")
        await statistics.rebuild(conn)
        emptied = await everything(conn)
        checkpoint = await load_checkpoint(conn, statistics.PROJECTION_NAME)
        kept = await load_checkpoint(conn, reporting.PROJECTION_NAME)
        assert await conn.fetch("SELECT * FROM reporting.cases ORDER BY case_id") == cases_before
        await project(store, database_url, last, statistics.statistics_projection(batch_size=100))
        rebuilt = await everything(conn)
    finally:
        await conn.close()
    assert emptied["rows"] == [] and emptied["t1"].counts == ()
    assert checkpoint < writer.appended[0].position
    assert kept >= last
    assert rebuilt == live
    assert len(live["t1"].counts) > 10


async def test_the_service_runs_the_statistics_and_the_command_rebuilds_only_them(
    store: PostgresEventStore, writer: CaseWriter, database_url: str, verifier: TokenVerifier
) -> None:
    await write_cases(writer)
    app = bootstrap(
        ReportingSettings(database_url=database_url), store=store, verifier=verifier, telemetry=False
    ).app
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://reporting") as client,
    ):
        await asyncio.wait_for(app.state.statistics.wait_until(writer.last_position), timeout=60)
        await asyncio.wait_for(app.state.projection.wait_until(writer.last_position), timeout=60)
        assert (await client.get("/readyz")).json()["checks"] == {"read_model": True, "projection": True}
    conn = await asyncpg.connect(database_url)
    try:
        live = await everything(conn)
        assert table(live["t1"])[("2026", Dimension.CASES, "all")] == 3
        command = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "services.reporting",
            "rebuild",
            "statistics",
            env={**os.environ, "KLACHTSPOOR_DATABASE_URL": database_url, "OTEL_TRACES_EXPORTER": "none"},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(command.communicate(), timeout=60)
        assert command.returncode == 0, err.decode()
        assert "Case facts emptied" in out.decode()
        assert await conn.fetchval("SELECT count(*) FROM reporting.case_facts") == 0
        assert await conn.fetchval("SELECT count(*) FROM reporting.cases") == 4
        subscribers = await conn.fetch("SELECT subscriber FROM subscriptions.checkpoints")
        assert [row["subscriber"] for row in subscribers] == ["reporting"]
    finally:
        await conn.close()
