"""POST /v1/tenants/{tenant}/signals in-process against a real PostgreSQL store."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import asyncpg
from intake_helpers import Intake, signal_body

from contracts.events.intake import CaseReferenceAssigned, SignalReceived
from contracts.vocabulary import Category, Channel, Role
from klachtspoor.eventstore.streams import case_stream


async def test_a_signal_opens_a_case_with_its_reference_in_one_append(intake: Intake) -> None:
    body = signal_body()
    response = await intake.submit(body)

    assert response.status_code == 201, response.text
    created = response.json()
    case_id = created["case_id"]
    assert created["reference"] == "KS-2026-000001"
    assert response.headers["location"] == f"/v1/tenants/demo/cases/{case_id}"
    case = await intake.load("demo", case_id)
    assert [e.type for e in case.events] == [
        "SignalReceived",
        "CaseReferenceAssigned",
        "ProcedurePolicyPinned",
    ]
    signal, reference = case.events[0].event, case.events[1].event
    assert isinstance(signal, SignalReceived) and isinstance(reference, CaseReferenceAssigned)
    assert reference.reference == created["reference"]
    assert signal.model_dump(mode="json", exclude={"raised_with"}, exclude_none=True) == body
    assert signal.channel is Channel.WEB_FORM
    assert signal.categories == (Category.TREATMENT, Category.INFORMATION)
    positions = {e.recorded_at for e in case.events}
    assert len(positions) == 1, "both events come from one append (one transaction)"
    for envelope in case.events:
        assert str(envelope.case_id) == case_id and envelope.tenant == "demo"
        assert envelope.actor.id == "account-7f3a" and envelope.actor.role is Role.CLIENT
        assert envelope.occurred_at == intake.clock.now
        assert envelope.correlation_id == envelope.causation_id


async def test_the_stored_rows_hold_no_plaintext_of_personal_fields(intake: Intake) -> None:
    body = signal_body()
    response = await intake.submit(body)
    assert response.status_code == 201
    conn = await asyncpg.connect(intake.settings.database_url)
    try:
        rows = await conn.fetch("SELECT data::text AS data, metadata::text AS meta FROM eventstore.events")
        intake_rows = await conn.fetch("SELECT row_to_json(r)::text AS row FROM intake.case_references r")
    finally:
        await conn.close()
    stored = " ".join(r["data"] + r["meta"] for r in rows) + " ".join(r["row"] for r in intake_rows)
    assert len(rows) == 3 and len(intake_rows) == 1
    complainant = body["complainant"]
    for plaintext in (
        complainant["name"],
        complainant["email"],
        complainant["phone"],
        body["about"]["name"],
        body["description"],
        "Sanne",
        "begeleider",
    ):
        assert plaintext not in stored, plaintext
    assert "web_form" in stored, "non-personal fields stay readable"


async def test_received_on_defaults_to_today_in_the_netherlands(intake: Intake) -> None:
    intake.clock.now = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)  # already 3 March in Amsterdam
    body = signal_body()
    del body["received_on"]
    response = await intake.submit(body)
    assert response.status_code == 201, response.text
    case = await intake.load("demo", response.json()["case_id"])
    signal = case.events[0].event
    assert isinstance(signal, SignalReceived) and signal.received_on == date(2026, 3, 3)


async def test_references_count_per_tenant_and_per_year(intake: Intake) -> None:
    staff = intake.token(roles=["office_manager"], tenants=["demo", "so-trainingsbureau"], subject="staff-1")
    seen: list[tuple[str, str]] = []
    for tenant in ("demo", "demo", "so-trainingsbureau", "demo"):
        response = await intake.submit(signal_body(), tenant=tenant, token=staff)
        assert response.status_code == 201, response.text
        seen.append((tenant, response.json()["reference"]))
    intake.clock.now = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
    for tenant in ("so-trainingsbureau", "demo"):
        response = await intake.submit(signal_body(), tenant=tenant, token=staff)
        seen.append((tenant, response.json()["reference"]))

    assert seen == [
        ("demo", "KS-2026-000001"),
        ("demo", "KS-2026-000002"),
        ("so-trainingsbureau", "KS-2026-000001"),
        ("demo", "KS-2026-000003"),
        ("so-trainingsbureau", "KS-2027-000001"),
        ("demo", "KS-2027-000001"),
    ]


async def test_staff_take_in_signals_for_a_complainant_and_are_recorded_as_themselves(intake: Intake) -> None:
    token = intake.token(roles=["care_worker", "manager"], subject="staff-42")
    body = signal_body(channel="phone", complainant={"capacity": "legal_representative", "name": "A. Ouder"})
    response = await intake.submit(body, token=token)
    assert response.status_code == 201, response.text
    case = await intake.load("demo", response.json()["case_id"])
    assert {(e.actor.id, e.actor.role) for e in case.events} == {("staff-42", Role.MANAGER)}


async def test_an_anonymous_complainant_is_recorded_without_their_account_id(intake: Intake) -> None:
    body = signal_body(anonymous=True, complainant={"capacity": "client"}, about=None)
    response = await intake.submit(body, token=intake.token(subject="account-secret"))
    assert response.status_code == 201, response.text
    case = await intake.load("demo", response.json()["case_id"])
    assert {e.actor.id for e in case.events} == {"anonymous"}
    events = await intake.all_events()
    assert len(events) == 3  # the signal, its reference and the pinned policy
    assert "account-secret" not in str([(e.data, e.metadata) for e in events])


async def test_without_an_idempotency_key_every_request_is_a_new_case(intake: Intake) -> None:
    first = await intake.submit(signal_body())
    second = await intake.submit(signal_body())
    assert first.status_code == second.status_code == 201
    assert first.json()["case_id"] != second.json()["case_id"]
    assert [first.json()["reference"], second.json()["reference"]] == ["KS-2026-000001", "KS-2026-000002"]
    streams = {e.stream for e in await intake.all_events()}
    assert streams == {case_stream("demo", r.json()["case_id"]) for r in (first, second)}


async def test_the_event_metadata_carries_the_http_requests_trace(intake: Intake) -> None:
    trace_id = uuid.uuid4().hex
    caller = f"00-{trace_id}-{'1' * 16}-01"
    response = await intake.submit(signal_body(), headers={"traceparent": caller})
    assert response.status_code == 201
    case = await intake.load("demo", response.json()["case_id"])
    traceparents = {e.traceparent for e in case.events}
    assert len(traceparents) == 1
    (traceparent,) = traceparents
    assert traceparent is not None
    _, event_trace, span, _ = traceparent.split("-")
    assert event_trace == trace_id, "the case continues the request's trace"
    assert span != "1" * 16, "the parent is intake's own HTTP span, not the caller's"

    untraced = await intake.submit(signal_body())
    fresh = (await intake.load("demo", untraced.json()["case_id"])).events[0].traceparent
    assert fresh is not None and fresh.split("-")[1] not in (trace_id, "0" * 32)


async def test_readiness_reports_each_dependency(intake: Intake) -> None:
    response = await intake.client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": True, "event_store": True, "key_store": True}
    assert (await intake.client.get("/healthz")).status_code == 200
