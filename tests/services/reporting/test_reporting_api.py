"""The reporting API in-process on a real database: auth matrix, paging, filters, tenancy, labels."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi import FastAPI
from reporting_helpers import CaseWriter, Tokens

from contracts.events import CaseClosed, TermStarted
from contracts.values import Term
from contracts.vocabulary import Category, DeadlineKind, Resolution, TermUnit
from klachtspoor.auth import TokenVerifier
from klachtspoor.eventstore.postgres import PostgresEventStore
from services.reporting.bootstrap import bootstrap
from services.reporting.settings import ReportingSettings

Api = tuple[FastAPI, httpx.AsyncClient]


@pytest.fixture
async def api(store: PostgresEventStore, database_url: str, verifier: TokenVerifier) -> AsyncIterator[Api]:
    app = bootstrap(
        ReportingSettings(database_url=database_url), store=store, verifier=verifier, telemetry=False
    ).app
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://reporting") as client,
    ):
        yield app, client


async def caught_up(app: FastAPI, writer: CaseWriter) -> None:
    await asyncio.wait_for(app.state.projection.wait_until(writer.last_position), timeout=60)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_every_endpoint_checks_token_tenant_and_role(
    api: Api, writer: CaseWriter, tokens: Tokens
) -> None:
    app, client = api
    case_id, _ = await writer.open_case("t1", Category.TREATMENT)
    await caught_up(app, writer)
    endpoints = {
        "list": "/v1/tenants/t1/cases",
        "case": f"/v1/tenants/t1/cases/{case_id}",
        "timeline": f"/v1/tenants/t1/cases/{case_id}/timeline",
        "statistics": "/v1/tenants/t1/statistics/categories",
    }
    readers = {"complaints_officer", "office_manager", "director", "complaints_committee", "auditor"}
    matrix: list[tuple[str, dict[str, str], set[str]]] = [
        ("no token", {}, set()),
        ("not a JWT", bearer("not-a-token"), set()),
        ("forged", bearer(tokens(("t1",), ("auditor",))[:-4] + "AAAA"), set()),
        ("other tenant", bearer(tokens(("t2",), ("auditor",))), set()),
    ]
    roles = ["care_worker", "confidant", "client", "administrator", "system", "manager", *sorted(readers)]
    for role in roles:
        allowed = set(endpoints) if role in readers else ({"statistics"} if role == "manager" else set())
        matrix.append((role, bearer(tokens(("t1",), (role,))), allowed))
    for name, headers, allowed in matrix:
        for endpoint, path in endpoints.items():
            response = await client.get(path, headers=headers)
            if endpoint in allowed:
                expected = 200
            elif name in ("no token", "not a JWT", "forged"):
                expected = 401
            elif name == "other tenant":
                expected = 404
            else:
                expected = 403
            assert response.status_code == expected, (name, endpoint, response.text)
            if expected != 200:
                assert response.headers["content-type"] == "application/problem+json"


async def test_a_reader_in_another_tenant_reads_nothing_here(
    api: Api, writer: CaseWriter, tokens: Tokens
) -> None:
    """Complaints officer in t2 and only care worker in t1: every read of t1 is 403, of t2 allowed."""
    app, client = api
    case_id, _ = await writer.open_case("t1", Category.TREATMENT)
    await caught_up(app, writer)
    headers = bearer(tokens.granted({"t2": ["complaints_officer"], "t1": ["care_worker"]}))
    for path in ("/cases", f"/cases/{case_id}", f"/cases/{case_id}/timeline", "/statistics/categories"):
        response = await client.get(f"/v1/tenants/t1{path}", headers=headers)
        assert response.status_code == 403, (path, response.text)
    assert (await client.get("/v1/tenants/t2/cases", headers=headers)).status_code == 200


async def test_the_case_list_pages_newest_first_and_filters_by_status(
    api: Api, writer: CaseWriter, tokens: Tokens
) -> None:
    app, client = api
    opened = [(await writer.open_case("t1", Category.TREATMENT))[0] for _ in range(5)]
    await writer.open_case("t2", Category.TREATMENT)
    await writer.append("t1", opened[1], CaseClosed(resolution=Resolution.RESOLVED_INFORMALLY))
    await caught_up(app, writer)
    headers = bearer(tokens(("t1",), ("complaints_officer",)))

    pages = []
    for offset in (0, 2, 4):
        response = await client.get(
            "/v1/tenants/t1/cases", params={"limit": 2, "offset": offset}, headers=headers
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["total"], body["limit"], body["offset"]) == (5, 2, offset)
        pages.append([UUID(item["case_id"]) for item in body["items"]])
    assert [len(page) for page in pages] == [2, 2, 1]
    assert [case for page in pages for case in page] == list(reversed(opened))

    closed = await client.get("/v1/tenants/t1/cases", params={"status": "closed"}, headers=headers)
    assert [UUID(i["case_id"]) for i in closed.json()["items"]] == [opened[1]]
    assert closed.json()["items"][0]["status"] == {"code": "closed", "label": "afgesloten"}
    fresh = await client.get("/v1/tenants/t1/cases", params={"status": "open"}, headers=headers)
    assert fresh.json()["total"] == 4

    for bad in ({"status": "lost"}, {"limit": 0}, {"limit": 101}, {"offset": -1}):
        response = await client.get("/v1/tenants/t1/cases", params=bad, headers=headers)
        assert response.status_code == 422, bad


async def test_a_case_and_its_timeline_with_labels_and_never_another_tenants(
    api: Api, writer: CaseWriter, tokens: Tokens
) -> None:
    app, client = api
    case_id, _ = await writer.open_case("t1", Category.TREATMENT, reference="KS-2026-000007")
    term = TermStarted(
        deadline=DeadlineKind.FIRST_CONTACT,
        started_on=date(2026, 3, 2),
        term=Term(amount=2, unit=TermUnit.WORKING_DAYS),
        due_on=date(2026, 3, 4),
    )
    await writer.append("t1", case_id, term)
    elsewhere, _ = await writer.open_case("t2", Category.OTHER)
    await caught_up(app, writer)
    headers = bearer(tokens(("t1",), ("auditor",)))

    case = (await client.get(f"/v1/tenants/t1/cases/{case_id}", headers=headers)).json()
    assert case["reference"] == "KS-2026-000007"
    assert case["status"] == {"code": "open", "label": "nieuw"}
    assert case["categories"] == [{"code": "treatment", "label": "bejegening"}]
    assert case["received_on"] == "2026-03-02"
    assert case["version"] == 2
    assert case["next_deadline"] == {
        "kind": {"code": "first_contact", "label": "eerste contact"},
        "due_on": "2026-03-04",
        "suspended": False,
    }

    timeline = (await client.get(f"/v1/tenants/t1/cases/{case_id}/timeline", headers=headers)).json()
    assert timeline["case_id"] == str(case_id)
    assert [(i["version"], i["type"]["code"], i["actor_role"]["code"]) for i in timeline["items"]] == [
        (0, "SignalReceived", "system"),
        (1, "CaseReferenceAssigned", "system"),
        (2, "TermStarted", "complaints_officer"),
    ]
    assert timeline["items"][2]["type"]["label"] == "Termijn gestart"
    assert timeline["items"][2]["actor_role"]["label"] == "klachtenfunctionaris"
    assert timeline["items"][2]["actor_id"] == "staff-17"

    for path in (f"/v1/tenants/t1/cases/{elsewhere}", f"/v1/tenants/t1/cases/{elsewhere}/timeline"):
        response = await client.get(path, headers=headers)
        assert response.status_code == 404, path
        assert "t2" not in response.text
    assert (await client.get(f"/v1/tenants/t1/cases/{uuid4()}", headers=headers)).status_code == 404
    assert (await client.get("/v1/tenants/t1/cases/not-a-uuid", headers=headers)).status_code == 422


async def test_category_statistics_no_longer_show_raw_small_counts(
    api: Api, writer: CaseWriter, tokens: Tokens
) -> None:
    """Two cases in t1: every count under the threshold is suppressed, a zero is shown (see
    test_statistics_api.py for the tables themselves)."""
    app, client = api
    await writer.open_case("t1", Category.TREATMENT, Category.INFORMATION)
    await writer.open_case("t1", Category.TREATMENT)
    await writer.open_case("t2", Category.TREATMENT)
    await caught_up(app, writer)
    await asyncio.wait_for(app.state.statistics.wait_until(writer.last_position), timeout=60)
    response = await client.get(
        "/v1/tenants/t1/statistics/categories",
        params={"period": "2026-Q1"},
        headers=bearer(tokens(("t1",), ("manager",))),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    rows = {row["value"]["code"]: (row["value"]["label"], row["cells"]) for row in body["rows"]}
    hidden = [{"value": None, "suppressed": True}]
    assert rows["treatment"] == ("bejegening", hidden)
    assert rows["information"] == ("informatieverstrekking", hidden)
    assert rows["reporting"] == ("rapportage", [{"value": 0, "suppressed": False}])
    assert body["total"] == {"value": None, "suppressed": True}


async def test_readiness_reports_the_read_model_and_the_projection(api: Api) -> None:
    _, client = api
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"read_model": True, "projection": True}
