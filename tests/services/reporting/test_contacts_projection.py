"""The contacts projection on a real PostgreSQL event store: contacts with and without a case in the
figures of the confidant organisation whose confidant registered them, a rebuild giving the same rows, and
contacts on no case in neither the case statistics nor the case list."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import httpx
from reporting_helpers import CaseWriter, Tokens

from contracts.base import Actor
from contracts.events import (
    AdviceContactRegistered,
    AdviceContactWithdrawn,
    ConfidantContactRegistered,
    ProcedurePolicyPinned,
)
from contracts.vocabulary import Category, Channel, ContactKind, Role
from klachtspoor.auth import TokenVerifier
from klachtspoor.codec import make_envelope
from klachtspoor.eventstore.port import Position, StreamState
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.eventstore.streams import contact_stream
from klachtspoor.policies import PolicyRegistry
from klachtspoor.projections import rebuild_projection
from klachtspoor.projections.registry import load_projection
from klachtspoor.settings import Settings
from klachtspoor.subscriptions import Projection, RetryPolicy, SubscriptionRunner
from services.reporting.adapters.schema import apply_schema
from services.reporting.application import contacts, statistics
from services.reporting.bootstrap import bootstrap
from services.reporting.domain.contacts import ContactBasis, ContactDimension, ContactFigures
from services.reporting.domain.figures import Dimension
from services.reporting.settings import ReportingSettings
from tests.services.escalation.http.staff_helpers import POLICIES

AKJ, LSR = "akj-zorgbelang-drenthe", "lsr"
SO, IK, DEMO = "so-trainingsbureau", "ik-ben-er-ook", "demo"
VP = Actor(id="vp-0001", role=Role.CONFIDANT)
D, B = ContactDimension, ContactBasis


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


async def register(writer: CaseWriter, tenant: str, contact_id: UUID | None = None, **fields: Any) -> UUID:
    """A contact on no case, on its own stream, as escalation appends it (withdrawn: with ``withdrawn``)."""
    contact_id = contact_id or uuid4()
    withdrawn = fields.pop("withdrawn", False)
    values: dict[str, Any] = {"channel": Channel.PHONE, "kind": ContactKind.ADVICE} | fields
    event: AdviceContactRegistered | AdviceContactWithdrawn = (
        AdviceContactWithdrawn(contact_id=contact_id)
        if withdrawn
        else AdviceContactRegistered(contact_id=contact_id, **values)
    )
    writer.clock += timedelta(minutes=1)
    stream = contact_stream(tenant, str(contact_id))
    envelope = make_envelope(
        event,
        event_id=uuid4(),
        tenant=tenant,
        stream=stream,
        case_id=contact_id,
        actor=VP,
        occurred_at=writer.clock,
        correlation_id=contact_id,
    )
    expected = StreamState.EXISTS if withdrawn else StreamState.NO_STREAM
    writer.appended.append(await writer.repository.append(stream, [envelope], expected))
    return contact_id


async def case_with_contact(writer: CaseWriter, tenant: str, policy: str, contacted_on: date) -> UUID:
    case_id, _ = await writer.open_case(tenant, Category.TREATMENT)
    await writer.append(tenant, case_id, ProcedurePolicyPinned(policy_id=policy, policy_version=1))
    contact = ConfidantContactRegistered(
        contact_id=uuid4(),
        confidant_id=VP.id,
        contacted_on=contacted_on,
        channel=Channel.CHAT,
        anonymous=True,
        categories=(Category.TREATMENT,),
    )
    await writer.append(tenant, case_id, contact, actor=VP)
    return case_id


async def write(writer: CaseWriter) -> None:
    """AKJ: two contacts on no case (Q1 about SO!, Q2 about none), one on an SO! case (whose policy
    names the AKJ), and one registered by mistake and withdrawn; LSR: one on no case and one on a demo
    case; Ik ben er ook!'s own confidant: one on its case."""
    await register(
        writer,
        AKJ,
        contacted_on=date(2026, 3, 4),
        categories=(Category.TREATMENT, Category.INFORMATION),
        organisation_concerned=SO,
    )
    await register(
        writer, AKJ, contacted_on=date(2026, 4, 2), kind=ContactKind.INFORMATION, channel=Channel.CHAT
    )
    await case_with_contact(writer, SO, SO, date(2026, 3, 5))
    await register(writer, LSR, contacted_on=date(2026, 3, 9), kind=ContactKind.SUPPORT)
    await case_with_contact(writer, DEMO, DEMO, date(2026, 3, 10))
    mistake = await register(writer, AKJ, contacted_on=date(2026, 3, 12), kind=ContactKind.MEDIATION)
    await register(writer, AKJ, mistake, withdrawn=True)
    # Last a case event: the case projections' checkpoints never pass a contact stream's event.
    await case_with_contact(writer, IK, IK, date(2026, 3, 11))


async def rows(conn: asyncpg.Connection) -> dict[str, list[tuple[Any, ...]]]:
    return {
        table: [tuple(r.values()) for r in await conn.fetch(f"SELECT * FROM {table} ORDER BY 1, 2, 3")]
        for table in contacts.TABLES
    }


async def test_contacts_with_and_without_a_case_count_for_the_confidant_organisation(
    store: PostgresEventStore, writer: CaseWriter, database_url: str
) -> None:
    await write(writer)
    policies = PolicyRegistry.from_directory(POLICIES)
    await project(
        store, database_url, writer.last_position, contacts.contacts_projection(policies, batch_size=2)
    )
    conn = await asyncpg.connect(database_url)
    try:
        akj: ContactFigures = await contacts.tenant_contact_figures(conn, AKJ)
        lsr = await contacts.tenant_contact_figures(conn, LSR)
        ik = await contacts.tenant_contact_figures(conn, IK)
        so = await contacts.tenant_contact_figures(conn, SO)
        live = await rows(conn)
        await contacts.rebuild(conn)
        assert await rows(conn) == {table: [] for table in contacts.TABLES}
    finally:
        await conn.close()
    assert akj.count(AKJ, "2026", D.CONTACTS, "all") == 3
    assert akj.count(AKJ, "2026", D.KIND, "mediation") == 0  # withdrawn
    assert akj.count(AKJ, "2026", D.CONTACTS, "all", B.WITHOUT_CASE) == 2
    assert akj.count(AKJ, "2026-Q1", D.CONTACTS, "all") == 2
    assert akj.count(AKJ, "2026-Q2", D.KIND, "information") == 1
    assert akj.count(AKJ, "2026-Q1", D.KIND, "unknown", B.ON_CASE) == 1
    assert akj.count(AKJ, "2026", D.ORGANISATION, SO) == 2
    assert akj.count(AKJ, "2026", D.ORGANISATION, "none") == 1
    assert akj.count(AKJ, "2026", D.CATEGORY, "treatment") == 2
    assert akj.count(AKJ, "2026", D.CHANNEL, "chat") == 2
    assert (
        lsr.count(LSR, "2026", D.CONTACTS, "all", B.WITHOUT_CASE),
        lsr.count(LSR, "2026", D.ORGANISATION, DEMO),
    ) == (1, 1)
    assert ik.count(IK, "2026", D.CONTACTS, "all", B.ON_CASE) == 1
    assert so.counts == ()
    assert {row[0] for row in live["reporting.contact_facts"]} == {AKJ, LSR, IK}

    await project(
        store, database_url, writer.last_position, contacts.contacts_projection(policies, batch_size=50)
    )
    conn = await asyncpg.connect(database_url)
    try:
        assert await rows(conn) == live
    finally:
        await conn.close()


async def test_contacts_on_no_case_are_in_neither_the_case_statistics_nor_the_case_list(
    store: PostgresEventStore, writer: CaseWriter, database_url: str, verifier: TokenVerifier, tokens: Tokens
) -> None:
    await write(writer)
    app = bootstrap(
        ReportingSettings(database_url=database_url, policies_dir=POLICIES),
        store=store,
        verifier=verifier,
        telemetry=False,
    ).app
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://reporting") as client,
    ):
        for runner in (app.state.contacts, app.state.statistics, app.state.projection):
            await asyncio.wait_for(runner.wait_until(writer.last_position), timeout=60)
        assert (await client.get("/readyz")).json()["checks"] == {"read_model": True, "projection": True}
        figures = await app.state.case_reader.contact_figures(AKJ)
        assert figures.count(AKJ, "2026", D.CONTACTS, "all", B.WITHOUT_CASE) == 2
        auth = {"Authorization": f"Bearer {tokens((AKJ, SO), ('auditor', 'complaints_officer'))}"}
        listed = await client.get(f"/v1/tenants/{AKJ}/cases", headers=auth)
        assert (listed.status_code, listed.json()["total"]) == (200, 0), listed.text
        assert (await client.get(f"/v1/tenants/{SO}/cases", headers=auth)).json()["total"] == 1
        table = await client.get(
            f"/v1/tenants/{AKJ}/statistics/channel", params={"period": "2026"}, headers=auth
        )
        assert table.status_code == 200, table.text
        assert table.json()["total"] == {"value": 0, "suppressed": False}
    conn = await asyncpg.connect(database_url)
    try:
        case_tenants = await conn.fetch("SELECT DISTINCT tenant FROM reporting.case_facts ORDER BY 1")
        assert [row["tenant"] for row in case_tenants] == [DEMO, IK, SO]
        assert (
            await conn.fetchval("SELECT count(*) FROM reporting.cases WHERE tenant IN ($1, $2)", AKJ, LSR)
            == 0
        )
        assert (
            await conn.fetchval("SELECT count(*) FROM reporting.timeline WHERE tenant IN ($1, $2)", AKJ, LSR)
            == 0
        )
        so_figures = await statistics.tenant_figures(conn, SO)
        assert [
            (f.period, f.value, f.cases) for f in so_figures.counts if f.dimension is Dimension.CASES
        ] == [
            ("2026", "all", 1),
            ("2026-Q1", "all", 1),
        ]
        assert (await statistics.tenant_figures(conn, AKJ)).counts == ()
        command = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "services.reporting",
            "rebuild",
            "contacts",
            env={**os.environ, "KLACHTSPOOR_DATABASE_URL": database_url, "OTEL_TRACES_EXPORTER": "none"},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(command.communicate(), timeout=60)
        assert command.returncode == 0, err.decode()
        assert "Contact facts emptied" in out.decode()
        assert await conn.fetchval("SELECT count(*) FROM reporting.contact_facts") == 0
        assert await conn.fetchval("SELECT count(*) FROM reporting.case_facts") == 3
    finally:
        await conn.close()


async def test_the_fast_rebuild_gives_exactly_the_live_contact_rows(
    store: PostgresEventStore, writer: CaseWriter, database_url: str
) -> None:
    await write(writer)
    policies = PolicyRegistry.from_directory(POLICIES)
    await project(
        store, database_url, writer.last_position, contacts.contacts_projection(policies, batch_size=2)
    )
    settings = Settings(database_url=database_url, policies_dir=POLICIES)
    registered = load_projection(contacts.PROJECTION_NAME, settings)
    conn = await asyncpg.connect(database_url)
    try:
        live = await rows(conn)
        # Small pages and writes: a later complete write replaces what an earlier one wrote.
        result = await rebuild_projection(store, conn, registered, page=3, write_every=2)
        rebuilt = await rows(conn)
    finally:
        await conn.close()
    assert result.parked == 0 and result.events > 0
    assert rebuilt == live
    assert len(live["reporting.contact_facts"]) == 6 and live["reporting.contact_case_policies"]
