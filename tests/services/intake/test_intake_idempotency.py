"""Idempotency-Key: a retried request returns the first response and opens no second case."""

from __future__ import annotations

import asyncio
import hashlib
import json
import secrets
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import asyncpg
from intake_helpers import Intake, signal_body

from klachtspoor.cases import CaseRepository
from services.intake.adapters.references import PostgresReferences
from services.intake.application.open_case import IntakeService, RequestMacs


async def _reference_rows(intake: Intake) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(intake.settings.database_url)
    try:
        return await conn.fetch("SELECT tenant, case_id, year, number FROM intake.case_references")
    finally:
        await conn.close()


async def test_a_sequential_retry_returns_the_first_response(intake: Intake) -> None:
    first = await intake.submit(signal_body(), key="form-4711")
    intake.clock.now = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)  # a day later: still the same case
    again = await intake.submit(signal_body(), key="form-4711")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers.get("idempotent-replayed") == "true"
    assert "idempotent-replayed" not in first.headers
    events = await intake.all_events()
    assert [e.type for e in events] == ["SignalReceived", "CaseReferenceAssigned", "ProcedurePolicyPinned"]
    assert len(await _reference_rows(intake)) == 1
    other = await intake.submit(signal_body(), key="form-4712")
    assert other.json()["reference"] == "KS-2026-000002", "a retry used no number"


async def test_fifty_concurrent_retries_open_one_case(intake: Intake) -> None:
    token = intake.token()
    responses = await asyncio.gather(
        *(intake.submit(signal_body(), key="double-click", token=token) for _ in range(50))
    )

    assert {r.status_code for r in responses} == {201}
    assert len({(r.json()["case_id"], r.json()["reference"]) for r in responses}) == 1
    assert sum(r.headers.get("idempotent-replayed") != "true" for r in responses) == 1
    events = await intake.all_events()
    assert [e.type for e in events] == ["SignalReceived", "CaseReferenceAssigned", "ProcedurePolicyPinned"]
    assert len({e.stream for e in events}) == 1
    assert [(r["year"], r["number"]) for r in await _reference_rows(intake)] == [(2026, 1)]
    counter = await _counter(intake)
    assert counter == 1, "concurrent retries gave back the numbers they did not use"


async def _counter(intake: Intake) -> int:
    conn = await asyncpg.connect(intake.settings.database_url)
    try:
        value: int = await conn.fetchval("SELECT last_number FROM intake.reference_counters")
        return value
    finally:
        await conn.close()


async def test_the_same_key_with_another_body_is_a_conflict_naming_the_header(intake: Intake) -> None:
    first = await intake.submit(signal_body(), key="k-1")
    changed = await intake.submit(signal_body(description="Iets heel anders."), key="k-1")

    assert first.status_code == 201
    assert changed.status_code == 422
    assert changed.headers["content-type"] == "application/problem+json"
    problem = changed.json()
    assert problem["title"] == "Idempotency-Key reused"
    assert [e["field"] for e in problem["errors"]] == ["header.Idempotency-Key"]
    assert first.json()["case_id"] not in changed.text
    assert len(await intake.all_events()) == 3


async def test_a_key_belongs_to_one_submitter_in_one_tenant(intake: Intake) -> None:
    """Another user who guesses (or reuses) a key neither blocks the submission nor reads its case."""
    a, b = intake.token(subject="account-a"), intake.token(subject="account-b")
    first = await intake.submit(signal_body(), key="k-2", token=a)
    other = await intake.submit(signal_body(), key="k-2", token=b)
    other_body = await intake.submit(signal_body(description="Iets anders."), key="k-2", token=b)
    again = await intake.submit(signal_body(), key="k-2", token=a)

    assert (first.status_code, other.status_code, other_body.status_code) == (201, 201, 422)
    assert other.json()["case_id"] != first.json()["case_id"], "b got a's case"
    assert "idempotent-replayed" not in other.headers
    assert other_body.json()["title"] == "Idempotency-Key reused"  # b's own first use, not a's
    assert first.json()["case_id"] not in other_body.text
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"

    token = intake.token(roles=["office_manager"], tenants=["demo", "lsr"], subject="staff-1")
    demo = await intake.submit(signal_body(), key="k-3", token=token)
    lsr = await intake.submit(signal_body(), key="k-3", token=token, tenant="lsr")
    assert demo.status_code == lsr.status_code == 201
    assert demo.json()["case_id"] != lsr.json()["case_id"], "the same key in another tenant is another case"


class _Crash(Exception):
    pass


class _CrashingRepository(CaseRepository):
    """Stops the process's work between the reference allocation and the append."""

    async def append(self, *args: object, **kwargs: object) -> object:  # type: ignore[override]
        raise _Crash("process stopped before the append")


async def test_a_crash_between_reference_and_append_is_completed_by_the_retry(intake: Intake) -> None:
    live: IntakeService = intake.app.state.intake
    references = await PostgresReferences.open(intake.settings.database_url)
    try:
        repository = _CrashingRepository(live.repository.store, live.repository.codec)
        intake.app.state.intake = IntakeService(
            repository, references, macs=live.macs, policies=live.policies
        )
        try:
            await intake.submit(signal_body(), key="crash-1")
        except _Crash:
            pass
        else:
            raise AssertionError("the crashing repository did not stop the request")
        assert await intake.all_events() == []
        [row] = await _reference_rows(intake)
    finally:
        intake.app.state.intake = live
        await references.close()

    retry = await intake.submit(signal_body(), key="crash-1")

    assert retry.status_code == 201
    assert retry.json() == {"case_id": str(row["case_id"]), "reference": "KS-2026-000001"}
    assert [e.type for e in await intake.all_events()] == [
        "SignalReceived",
        "CaseReferenceAssigned",
        "ProcedurePolicyPinned",
    ]


async def _key_rows(intake: Intake) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(intake.settings.database_url)
    try:
        return await conn.fetch("SELECT * FROM intake.idempotency_keys")
    finally:
        await conn.close()


async def _all_intake_values(intake: Intake) -> str:
    """Every value of every row in the intake schema, as text."""
    conn = await asyncpg.connect(intake.settings.database_url)
    try:
        tables = await conn.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'intake'"
        )
        rows = [r for t in tables for r in await conn.fetch(f'SELECT * FROM intake."{t["table_name"]}"')]
        return json.dumps([[str(v) for v in r.values()] for r in rows])
    finally:
        await conn.close()


async def test_the_stored_claim_holds_no_reproducible_hash_of_the_request(intake: Intake) -> None:
    body = signal_body()
    subject = "account-hash"
    response = await intake.submit(body, key="k-hash", token=intake.token(subject=subject))
    assert response.status_code == 201

    stored = await _all_intake_values(intake)
    [row] = await _key_rows(intake)
    assert set(row.keys()) == {"tenant", "key_digest", "case_id", "request_mac", "expires_at"}
    assert row["expires_at"] == intake.clock.now + timedelta(hours=24)
    # What anyone with the rows and a guess of the request could compute: none of it is stored.
    for guess in (
        json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
        json.dumps(
            {"tenant": "demo", "subject": subject, "body": body}, sort_keys=True, separators=(",", ":")
        ),
        body["description"],
        body["complainant"].get("name", ""),
        body["complainant"].get("email", ""),
        "k-hash",
        subject,
    ):
        for digest in (hashlib.sha256(guess.encode()).hexdigest(), hashlib.sha1(guess.encode()).hexdigest()):
            assert digest not in stored
        if guess:
            assert guess not in stored
    for personal in ("Sanne", "example.org", "begeleider"):
        assert personal not in stored


async def test_expired_keys_are_purged_and_the_key_opens_a_new_case(intake: Intake) -> None:
    first = await intake.submit(signal_body(), key="k-old")
    intake.clock.now += timedelta(hours=23)
    young = await intake.submit(signal_body(), key="k-young")
    assert len(await _key_rows(intake)) == 2

    intake.clock.now += timedelta(hours=2)  # k-old is 25 h old, k-young 2 h
    purged = await intake.app.state.intake.purge_claims(intake.clock.now, intake.infra.keys.is_erased)

    assert purged == 1
    [remaining] = await _key_rows(intake)
    assert str(remaining["case_id"]) == young.json()["case_id"]
    reused = await intake.submit(signal_body(description="Een nieuwe klacht."), key="k-old")
    assert reused.status_code == 201, "an expired key is free again"
    assert reused.json()["case_id"] != first.json()["case_id"]
    assert "idempotent-replayed" not in reused.headers


async def test_the_claims_of_an_erased_case_are_purged(intake: Intake) -> None:
    erased = await intake.submit(signal_body(), key="k-erased")
    kept = await intake.submit(signal_body(), key="k-kept")
    await intake.infra.codec.keyring.erase_case("demo", erased.json()["case_id"], actor="staff-1")

    purged = await intake.app.state.intake.purge_claims(intake.clock.now, intake.infra.keys.is_erased)

    assert purged == 1
    [remaining] = await _key_rows(intake)
    assert str(remaining["case_id"]) == kept.json()["case_id"]


async def test_a_retry_across_a_master_key_swap_opens_no_second_case(intake: Intake) -> None:
    """The claim was made under the key that is now the previous one: found by its digest under that
    key, claimed again under the current one, so retries after the previous key is gone find it too."""
    live: IntakeService = intake.app.state.intake
    before, after = live.macs, RequestMacs(secrets.token_bytes(32))
    first = await intake.submit(signal_body(), key="swap-1")
    try:
        intake.app.state.intake = IntakeService(
            live.repository,
            live.references,
            macs=replace(after, previous=(before.secret,)),
            policies=live.policies,
        )
        during = await intake.submit(signal_body(), key="swap-1")
        other_body = await intake.submit(signal_body(description="Iets anders."), key="swap-1")
        intake.app.state.intake = IntakeService(
            live.repository, live.references, macs=after, policies=live.policies
        )
        later = await intake.submit(signal_body(), key="swap-1")
    finally:
        intake.app.state.intake = live

    assert first.status_code == during.status_code == later.status_code == 201
    assert during.json() == later.json() == first.json()
    assert during.headers.get("idempotent-replayed") == later.headers.get("idempotent-replayed") == "true"
    assert other_body.status_code == 422, other_body.text
    assert len(await _reference_rows(intake)) == 1
    assert len({e.stream for e in await intake.all_events()}) == 1
