"""The statistics API in-process on a real database: protected tables in JSON and CSV (small counts
suppressed, secondary suppression present), handling time, roles, bad input, and failing closed."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from datetime import date
from typing import Any
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI
from reporting_helpers import INTAKE, CaseWriter, Tokens, signal

from contracts.events import CaseClosed, CaseReferenceAssigned
from contracts.vocabulary import Category, Resolution
from klachtspoor.auth import TokenVerifier
from klachtspoor.disclosure import SuppressionError
from klachtspoor.eventstore.postgres import PostgresEventStore
from services.reporting.bootstrap import bootstrap
from services.reporting.entrypoints import statistics as statistics_routes
from services.reporting.settings import ReportingSettings

Api = tuple[FastAPI, httpx.AsyncClient]
Q1, Q2 = date(2026, 3, 2), date(2026, 4, 7)
READERS = ("complaints_officer", "office_manager", "director", "complaints_committee", "auditor", "manager")


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


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def received(writer: CaseWriter, tenant: str, category: Category, on: date, *, closed: bool) -> None:
    case_id = uuid4()
    events: list[Any] = [
        signal(category, received_on=on),
        CaseReferenceAssigned(reference=f"KS-{case_id.hex[:8].upper()}"),
    ]
    await writer.append(tenant, case_id, *events, actor=INTAKE)
    if closed:
        await writer.append(tenant, case_id, CaseClosed(resolution=Resolution.RESOLVED_INFORMALLY))


async def write_cases(app: FastAPI, writer: CaseWriter) -> None:
    """t1 in 2026: treatment 6 in Q1 (5 closed) and 7 in Q2, procedure 5 and 6, information 1 in Q1 (a
    small cell). t2: two closed cases (too few for a handling time)."""
    for category, q1, q2 in (
        (Category.TREATMENT, 6, 7),
        (Category.PROCEDURE, 5, 6),
        (Category.INFORMATION, 1, 0),
    ):
        for i in range(q1):
            await received(writer, "t1", category, Q1, closed=category is Category.TREATMENT and i < 5)
        for _ in range(q2):
            await received(writer, "t1", category, Q2, closed=False)
    for _ in range(2):
        await received(writer, "t2", Category.TREATMENT, Q1, closed=True)
    await asyncio.wait_for(app.state.statistics.wait_until(writer.last_position), timeout=60)


def rows_of(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["value"]["code"]: row for row in body["rows"]}


def grid(body: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """The cells with the totals, as disclosure control sees them."""
    lines = [[*row["cells"], row["total"]] for row in body["rows"]]
    return [*lines, [*body["column_totals"], body["total"]]]


async def test_a_year_table_suppresses_small_cells_and_their_complements(
    api: Api, writer: CaseWriter, tokens: Tokens
) -> None:
    app, client = api
    await write_cases(app, writer)
    response = await client.get(
        "/v1/tenants/t1/statistics/category",
        params={"period": "2026"},
        headers=bearer(tokens(("t1",), ("manager",))),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["tenant"], body["dimension"], body["period"], body["threshold"]) == (
        "t1",
        "category",
        "2026",
        5,
    )
    assert body["columns"] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    rows = rows_of(body)
    assert rows["treatment"]["value"] == {"code": "treatment", "label": "bejegening"}
    assert rows["none"]["value"] == {"code": "none", "label": "geen categorie"}
    information = rows["information"]
    assert information["cells"][0] == {"value": None, "suppressed": True}
    assert information["total"] == {"value": None, "suppressed": True}
    assert rows["reporting"]["cells"][0] == {"value": 0, "suppressed": False}
    assert rows["treatment"]["cells"][1] == {"value": 7, "suppressed": False}
    # Secondary suppression: every row and column of the grid with a suppressed cell has another one.
    lines = grid(body)
    for line in (*lines, *zip(*lines, strict=True)):
        assert sum(cell["suppressed"] for cell in line) != 1, line
    hidden = sum(cell["suppressed"] for line in lines for cell in line)
    assert hidden == 4, "the small cell, its row total and the cheapest rectangle's other corners"
    assert rows["procedure"]["cells"][0]["suppressed"] and rows["procedure"]["total"]["suppressed"]
    assert body["column_totals"][0] == {"value": 12, "suppressed": False}
    assert body["percentage_base"] == 10
    # Shares of the quarter's total (12 in Q1); none of a hidden figure, none of a base under 10.
    assert rows["treatment"]["percentages"][0] == round(100 * rows["treatment"]["cells"][0]["value"] / 12, 1)
    assert information["percentages"][0] is None and information["total_percentage"] is None
    for row in body["rows"]:
        for cell, share, total in zip(row["cells"], row["percentages"], body["column_totals"], strict=True):
            if cell["suppressed"] or total["suppressed"] or total["value"] < 10:
                assert share is None, (row["value"], cell, total)
    for line in lines:
        for cell in line:
            assert cell["suppressed"] or cell["value"] == 0 or cell["value"] >= 5, cell
    assert body["handling_time"] == {
        "cases_ended": 5,
        "median_working_days": 0.0,
        "p90_working_days": 0,
        "suppressed": False,
    }


async def test_csv_shows_x_for_every_suppressed_figure_and_dutch_labels(
    api: Api, writer: CaseWriter, tokens: Tokens
) -> None:
    app, client = api
    await write_cases(app, writer)
    headers = bearer(tokens(("t1",), ("auditor",)))
    params = {"period": "2026"}
    body = (await client.get("/v1/tenants/t1/statistics/category", params=params, headers=headers)).json()
    response = await client.get(
        "/v1/tenants/t1/statistics/category", params={**params, "format": "csv"}, headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.text)))
    assert lines[0] == ["", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "Totaal"]
    by_label = {line[0]: line[1:] for line in lines[1:]}
    assert by_label["informatieverstrekking"][0] == "x"
    assert by_label["informatieverstrekking"][-1] == "x"
    expected = [["x" if c["suppressed"] else str(c["value"]) for c in line] for line in grid(body)]
    assert [line[1:] for line in lines[1:]] == expected
    assert "1" not in {figure for line in lines[1:] for figure in line[1:]}


async def test_a_quarter_is_one_column_and_too_few_ended_cases_suppress_the_handling_time(
    api: Api, writer: CaseWriter, tokens: Tokens
) -> None:
    app, client = api
    await write_cases(app, writer)
    response = await client.get(
        "/v1/tenants/t2/statistics/outcome",
        params={"period": "2026-Q1"},
        headers=bearer(tokens(("t2",), ("director",))),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["columns"] == ["2026-Q1"]
    assert rows_of(body)["resolved_informally"]["cells"] == [{"value": None, "suppressed": True}]
    assert body["total"] == {"value": None, "suppressed": True}
    assert body["handling_time"] == {
        "cases_ended": None,
        "median_working_days": None,
        "p90_working_days": None,
        "suppressed": True,
    }


async def test_categories_is_the_protected_category_table(
    api: Api, writer: CaseWriter, tokens: Tokens
) -> None:
    app, client = api
    await write_cases(app, writer)
    headers = bearer(tokens(("t1",), ("manager",)))
    params = {"period": "2026"}
    alias = await client.get("/v1/tenants/t1/statistics/categories", params=params, headers=headers)
    table = await client.get("/v1/tenants/t1/statistics/category", params=params, headers=headers)
    assert alias.status_code == 200, alias.text
    assert alias.json() == table.json()
    assert rows_of(alias.json())["information"]["total"]["suppressed"] is True


async def test_roles_tenants_and_bad_input_answer_with_problems(
    api: Api, writer: CaseWriter, tokens: Tokens
) -> None:
    app, client = api
    await write_cases(app, writer)
    path = "/v1/tenants/t1/statistics/channel"
    for role in READERS:
        response = await client.get(path, params={"period": "2026"}, headers=bearer(tokens(("t1",), (role,))))
        assert response.status_code == 200, (role, response.text)
    for role in ("care_worker", "confidant", "client", "administrator", "system"):
        response = await client.get(path, params={"period": "2026"}, headers=bearer(tokens(("t1",), (role,))))
        assert response.status_code == 403, (role, response.text)
    officer = bearer(tokens(("t1",), ("complaints_officer",)))
    foreign = await client.get(path, params={"period": "2026"}, headers=bearer(tokens(("t2",), ("auditor",))))
    assert foreign.status_code == 404
    cases: list[tuple[str, dict[str, str], str]] = [
        ("/v1/tenants/t1/statistics/shoe_size", {"period": "2026"}, "path.dimension"),
        ("/v1/tenants/t1/statistics/cases", {"period": "2026"}, "path.dimension"),
        (path, {"period": "2026-Q5"}, "query.period"),
        (path, {"period": "26"}, "query.period"),
        (path, {"period": "0000"}, "query.period"),
        (path, {"period": "2999"}, "query.period"),
        (path, {"period": "2026", "format": "xlsx"}, "query.format"),
    ]
    for url, params, field in cases:
        response = await client.get(url, params=params, headers=officer)
        assert response.status_code == 422, (url, params, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert field in [error["field"] for error in response.json()["errors"]], response.text


async def test_linked_tables_never_publish_what_another_request_hides(
    api: Api, writer: CaseWriter, tokens: Tokens
) -> None:
    """A quarter is its column of the year; channel, highest step and outcome share the cases per quarter:
    whatever is asked, a figure is hidden everywhere or nowhere (docs/statistics.md, "Linked tables")."""
    app, client = api
    await write_cases(app, writer)
    headers = bearer(tokens(("t1",), ("director",)))

    async def table(dimension: str, period: str) -> dict[str, Any]:
        response = await client.get(
            f"/v1/tenants/t1/statistics/{dimension}", params={"period": period}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    partitions = [await table(d, "2026") for d in ("channel", "highest_step", "outcome")]
    shared = [[*body["column_totals"], body["total"]] for body in partitions]
    assert shared[0] == shared[1] == shared[2]
    assert any(cell["suppressed"] for cell in shared[0]) or all(
        c["value"] >= 5 for c in shared[0] if c["value"]
    )
    for dimension, year in zip(("channel", "highest_step", "outcome"), partitions, strict=True):
        for q, column in enumerate(year["columns"]):
            quarter = await table(dimension, column)
            assert quarter["total"] == year["column_totals"][q]
            for row, year_row in zip(quarter["rows"], year["rows"], strict=True):
                assert row["value"] == year_row["value"]
                assert row["cells"] == [year_row["cells"][q]] and row["total"] == year_row["cells"][q]


async def test_a_table_that_cannot_be_protected_publishes_nothing(
    api: Api, writer: CaseWriter, tokens: Tokens, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, client = api
    await write_cases(app, writer)

    def refuse(*args: object) -> None:
        raise SuppressionError("forced by the test")

    monkeypatch.setattr(statistics_routes, "protected_dimension_table", refuse)
    headers = bearer(tokens(("t1",), ("manager",)))
    for fmt in ("json", "csv"):
        response = await client.get(
            "/v1/tenants/t1/statistics/category", params={"period": "2026", "format": fmt}, headers=headers
        )
        assert response.status_code == 500, response.text
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["rule"] == "suppression_failed"
        assert "rows" not in body and "cells" not in body and "2026-Q1" not in response.text


async def test_the_threshold_is_a_setting(
    store: PostgresEventStore, database_url: str, verifier: TokenVerifier, writer: CaseWriter, tokens: Tokens
) -> None:
    settings = ReportingSettings(database_url=database_url, statistics_threshold=8)
    app = bootstrap(settings, store=store, verifier=verifier, telemetry=False).app
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://reporting") as client,
    ):
        await write_cases(app, writer)
        response = await client.get(
            "/v1/tenants/t1/statistics/category",
            params={"period": "2026-Q1"},
            headers=bearer(tokens(("t1",), ("manager",))),
        )
    body = response.json()
    assert body["threshold"] == 8
    assert rows_of(body)["treatment"]["cells"] == [{"value": None, "suppressed": True}], "6 is under 8"
    assert body["handling_time"]["suppressed"] is True, "5 ended cases are under 8"


async def test_the_network_table_names_no_small_organisation(
    api: Api, writer: CaseWriter, tokens: Tokens
) -> None:
    app, client = api
    await write_cases(app, writer)
    path = "/v1/network/statistics/category"
    response = await client.get(
        path, params={"period": "2026"}, headers=bearer(tokens(("t2",), ("manager",)))
    )
    assert response.status_code == 200, response.text
    body = response.json()
    organisations = [row["organisation"] for row in body["rows"]]
    assert "t1" in organisations and "t2" not in organisations, "t2 has two cases: merged, not named"
    t1 = body["rows"][organisations.index("t1")]
    assert t1["total"] == {"value": 25, "suppressed": False}
    information = [column["code"] for column in body["columns"]].index("information")
    assert t1["cells"][information] == {"value": None, "suppressed": True}
    csv_text = (
        await client.get(
            path, params={"period": "2026", "format": "csv"}, headers=bearer(tokens(("t1",), ("auditor",)))
        )
    ).text
    assert csv_text.splitlines()[0].startswith(",") and "bejegening" in csv_text and ",x," in csv_text
    refused = await client.get(path, headers=bearer(tokens(("t1", "t2"), ("care_worker",))))
    assert refused.status_code == 403 and refused.headers["content-type"] == "application/problem+json"
    assert (await client.get(path)).status_code == 401
    future = await client.get(path, params={"period": "2999"}, headers=bearer(tokens(("t1",), ("manager",))))
    assert future.status_code == 422
    unknown = await client.get(
        "/v1/network/statistics/shoe_size", headers=bearer(tokens(("t1",), ("manager",)))
    )
    assert unknown.status_code == 422
