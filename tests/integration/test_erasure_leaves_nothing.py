"""After erasure nothing of the case's personal data is left to read: not in any table of any schema, not in
a log line, a span, a bus message or an HTTP body; and the statistics are what they were.

One case goes through the running parts in this process: intake takes a signal with the marker in every
personal field (with an Idempotency-Key, so intake keeps a claim), the relay publishes every event to
NATS, escalation reacts and takes staff commands with the marker in their personal fields, reporting
projects it all. Then the privacy officer erases the case over HTTP, intake's purge drops the case's
claim, and the whole database is searched for the marker: every text, JSON and bytea column of every table
in every schema. Before erasure the case's events still decrypt to the marker, so the data was there.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import httpx
import pytest
import yaml
from faststream.nats import NatsBroker
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from contracts.events import PersonalDataErased
from klachtspoor.auth import TokenVerifier
from klachtspoor.auth.devkeys import ensure_dev_keys, mint_token, same_roles
from klachtspoor.bootstrap import Infrastructure, open_infrastructure
from klachtspoor.cases import CaseRepository
from klachtspoor.crypto import MasterKey
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.policies import PolicyRegistry
from klachtspoor.relay import STREAM_NAME, Relay
from klachtspoor.tenants import TenantRegistry
from services.escalation.bootstrap import bootstrap as escalation
from services.escalation.settings import EscalationSettings
from services.intake.bootstrap import bootstrap as intake
from services.intake.settings import IntakeSettings
from services.reporting.bootstrap import bootstrap as reporting
from services.reporting.settings import ReportingSettings
from tests.leak_watch import MARKED_ADDRESS, MARKER, leak_watch

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
TEXT_TYPES = ("text", "character varying", "character", "json", "jsonb", "bytea", "ARRAY", "USER-DEFINED")


@dataclass
class Parts:
    tenant: str
    database_url: str
    infrastructure: Infrastructure
    intake: httpx.AsyncClient
    escalation: httpx.AsyncClient
    reporting: httpx.AsyncClient
    intake_app: Any
    reporting_app: Any
    private_key: str
    spans: InMemorySpanExporter

    def token(self, role: str, subject: str = "account-0001") -> dict[str, str]:
        grants = same_roles((self.tenant,), (role,))
        return {
            "Authorization": f"Bearer {mint_token(self.private_key, subject=subject, tenant_roles=grants)}"
        }

    @property
    def repository(self) -> CaseRepository:
        return CaseRepository(self.infrastructure.store, self.infrastructure.codec)


def _tenants_file(directory: Path, tenant: str) -> Path:
    """A tenants file with the test's own tenant (its subjects are its own on the shared NATS)."""
    path = directory / "tenants.yaml"
    entry = {
        "slug": tenant,
        "display_name": "Test Jeugdhulp",
        "kind": "provider",
        "mail_sender_name": "Klachtenregeling Test",
        "contact": {"website": "https://test-jeugdhulp.example"},
        "policy": "so-trainingsbureau",
    }
    path.write_text(yaml.safe_dump({"tenants": [entry]}), encoding="utf-8")
    return path


@pytest.fixture
async def parts(database_url: str, nats_url: str, tmp_path: Path) -> AsyncIterator[Parts]:
    tenant = f"t-{uuid4().hex[:10]}"
    private_path, public_path = ensure_dev_keys(tmp_path / "jwt")
    common: dict[str, Any] = {
        "database_url": database_url,
        "nats_url": nats_url,
        "master_key": MasterKey.generate_base64(),
        "jwt_public_key_file": public_path,
        "tenants_file": _tenants_file(tmp_path, tenant),
        "policies_dir": REPO / "policies",
    }
    spans = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    verifier = TokenVerifier(public_key_pem=public_path.read_text(encoding="ascii"))
    infra = await open_infrastructure(EscalationSettings(**common), pool_size=6)
    bus = NatsBroker(nats_url)
    await bus.connect()
    relay = Relay(infra.store, database_url, bus, batch_size=16)
    relaying = asyncio.create_task(relay.run())
    durable = f"escalation-{tenant}"
    intake_app = intake(
        IntakeSettings(**common), infrastructure=infra, clock=lambda: NOW, telemetry=False
    ).app
    FastAPIInstrumentor.instrument_app(intake_app, tracer_provider=provider)
    escalation_app = escalation(
        EscalationSettings(**common),
        infrastructure=infra,
        clock=lambda: NOW,
        tracer_provider=provider,
        durable=durable,
        tenant=tenant,
        tenants=TenantRegistry.from_file(common["tenants_file"]),
        policies=PolicyRegistry.from_directory(REPO / "policies"),
        verifier=verifier,
    ).app
    reporting_app = reporting(
        ReportingSettings(**common), store=infra.store, verifier=verifier, telemetry=False
    ).app
    try:
        async with (
            intake_app.router.lifespan_context(intake_app),
            escalation_app.router.lifespan_context(escalation_app),
            reporting_app.router.lifespan_context(reporting_app),
            _client(intake_app, "intake") as intake_client,
            _client(escalation_app, "escalation") as escalation_client,
            _client(reporting_app, "reporting") as reporting_client,
        ):
            yield Parts(
                tenant,
                database_url,
                infra,
                intake_client,
                escalation_client,
                reporting_client,
                intake_app,
                reporting_app,
                private_path.read_text(encoding="ascii"),
                spans,
            )
        await bus.connection.jetstream().delete_consumer(STREAM_NAME, durable)
    finally:
        relay.stop()
        await asyncio.wait_for(relaying, 30)
        await bus.stop()
        await infra.close()


def _client(app: Any, name: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url=f"http://{name}")


def marked_signal() -> dict[str, Any]:
    return {
        "channel": "web_form",
        "complainant": {
            "capacity": "client",
            "name": MARKER,
            "email": MARKED_ADDRESS,
            "phone": MARKER,
            "postal_address": MARKER,
            "preferred_channel": "email",
            "client_age_band": "from_12_to_17",
        },
        "about": {"role": "care_worker", "name": MARKER},
        "categories": ["treatment", "information"],
        "description": MARKER,
        "anonymous": False,
        "received_on": "2026-03-05",
    }


STAFF_COMMANDS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "record-informal-conversation",
        "care_worker",
        {"step": "care_worker", "held_on": "2026-03-05", "result": "unresolved", "notes": MARKER},
    ),
    ("escalate", "care_worker", {"to_step": "manager", "reason": "unresolved", "explanation": MARKER}),
    (
        "raise-safety-concern",
        "manager",
        {"concern_id": str(uuid4()), "danger": "acute_danger", "description": MARKER},
    ),
    ("withdraw", "manager", {"reason": MARKER}),
]


async def wait_for(condition: Any, what: str, within: float = 60) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await condition():
        assert loop.time() < deadline, f"gave up waiting for {what}"
        await asyncio.sleep(0.05)


async def marker_places(database_url: str) -> list[str]:
    """Every (schema.table.column) of the database whose text holds the marker, in any letter case."""
    conn = await asyncpg.connect(database_url)
    try:
        columns = await conn.fetch(
            "SELECT c.table_schema, c.table_name, c.column_name, c.data_type "
            "FROM information_schema.columns c JOIN information_schema.tables t "
            "ON (t.table_schema, t.table_name) = (c.table_schema, c.table_name) "
            "WHERE t.table_type = 'BASE TABLE' "
            "AND c.table_schema NOT IN ('pg_catalog', 'information_schema') "
            "AND c.table_schema NOT LIKE 'pg_toast%'"
        )
        found = []
        for column in columns:
            if column["data_type"] not in TEXT_TYPES:
                continue
            name = f'"{column["table_schema"]}"."{column["table_name"]}"'
            value = f'"{column["column_name"]}"'
            text = f"encode({value}, 'escape')" if column["data_type"] == "bytea" else f"{value}::text"
            hits = await conn.fetchval(f"SELECT count(*) FROM {name} WHERE {text} ILIKE $1", f"%{MARKER}%")
            if hits:
                found.append(f"{column['table_schema']}.{column['table_name']}.{column['column_name']}")
        return found
    finally:
        await conn.close()


async def test_the_scan_finds_a_marker_where_one_is(database_url: str) -> None:
    """The scanner itself can fail: a marker planted in a table of a schema of its own is found."""
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute("CREATE SCHEMA planted; CREATE TABLE planted.notes (body jsonb, raw bytea)")
        await conn.execute(
            "INSERT INTO planted.notes VALUES ($1::jsonb, $2)",
            f'{{"n": "{MARKER}"}}',
            MARKER.lower().encode(),
        )
    finally:
        await conn.close()
    assert await marker_places(database_url) == ["planted.notes.body", "planted.notes.raw"]


async def statistics(parts: Parts) -> Any:
    """The protected category table of 2026 as served, and the raw number of cases it was made from
    (one case is under any threshold, so the served table alone could not show that it was counted)."""
    response = await parts.reporting.get(
        f"/v1/tenants/{parts.tenant}/statistics/categories",
        params={"period": "2026"},
        headers=parts.token("manager"),
    )
    assert response.status_code == 200, response.text
    figures = await parts.reporting_app.state.case_reader.figures(parts.tenant)
    cases = sum(f.cases for f in figures.counts if f.period == "2026" and f.dimension == "cases")
    return response.json(), cases


async def test_an_erased_case_leaves_no_personal_value_anywhere_and_the_statistics_stand(
    parts: Parts, nats_url: str
) -> None:
    bodies: list[str] = []
    async with leak_watch(nats_url) as watch:
        submitted = await parts.intake.post(
            f"/v1/tenants/{parts.tenant}/signals",
            json=marked_signal(),
            headers={**parts.token("client", subject="account-7f3a"), "Idempotency-Key": "signal-1"},
        )
        assert submitted.status_code in (200, 201, 202), submitted.text
        bodies.append(submitted.text)
        case_id = UUID(submitted.json()["case_id"])
        stream = case_stream(parts.tenant, str(case_id))

        async def acknowledged() -> bool:
            case = await parts.repository.load(stream)
            return any(envelope.type == "NotificationRequested" for envelope in case.events)

        await wait_for(acknowledged, "escalation's reaction to the signal")
        for name, role, body in STAFF_COMMANDS:
            response = await parts.escalation.post(
                f"/v1/tenants/{parts.tenant}/cases/{case_id}/commands/{name}",
                json=body,
                headers=parts.token(role),
            )
            assert response.status_code == 200, (name, response.text)
            bodies.append(response.text)

        before = await parts.repository.load(stream)
        assert MARKER in repr([envelope.event for envelope in before.events]), "the data was there"
        assert await marker_places(parts.database_url) == [], "stored encrypted only, also before"
        await _projected(parts, stream)
        counted = await statistics(parts)
        assert counted[1] == 1

        erased = await parts.escalation.post(
            f"/v1/tenants/{parts.tenant}/cases/{case_id}/commands/erase",
            json={"reason": "erasure_request", "request_reference": "AVG-2026-0042"},
            headers=parts.token("privacy_officer", subject="fg-0001"),
        )
        assert erased.status_code == 200, erased.text
        bodies.append(erased.text)
        await _projected(parts, stream)
        assert await statistics(parts) == counted, "statistics do not change"
        await wait_for(_relayed(watch, str(case_id)), "the relay publishing PersonalDataErased")

        claims = await _claims(parts.database_url, case_id)
        assert claims == 1, "intake kept the signal's Idempotency-Key claim"
        purged = await parts.intake_app.state.intake.purge_claims(NOW, parts.infrastructure.keys.is_erased)
        assert purged == 1
        assert await _claims(parts.database_url, case_id) == 0

    after = await parts.repository.load(stream)
    assert isinstance(after.events[-1].event, PersonalDataErased)
    assert MARKER not in repr([envelope.event for envelope in after.events])
    assert "[verwijderd]" in repr([envelope.event for envelope in after.events])
    assert await marker_places(parts.database_url) == []
    assert watch.messages, "the bus traffic was watched"
    assert parts.spans.get_finished_spans(), "the requests were traced"
    watch.assert_watched()
    watch.assert_clean(spans=parts.spans.get_finished_spans(), bodies=bodies)


async def _projected(parts: Parts, stream: str) -> None:
    last = await parts.infrastructure.store.read_stream(stream, backwards=True, limit=1)
    await asyncio.wait_for(parts.reporting_app.state.projection.wait_until(last[0].position), 60)
    await asyncio.wait_for(parts.reporting_app.state.statistics.wait_until(last[0].position), 60)


def _relayed(watch: Any, case_id: str) -> Any:
    async def seen() -> bool:
        return any("PersonalDataErased" in message and case_id in message for message in watch.messages)

    return seen


async def _claims(database_url: str, case_id: UUID) -> int:
    conn = await asyncpg.connect(database_url)
    try:
        count: int = await conn.fetchval(
            "SELECT count(*) FROM intake.idempotency_keys WHERE case_id = $1", case_id
        )
        return count
    finally:
        await conn.close()
