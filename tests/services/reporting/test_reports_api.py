"""The reports over HTTP and on the command line, on a real database: events appended, the statistics
projection caught up, then each report in every format; roles, tenants and bad input as problems; a
report whose suppression cannot be computed publishes nothing."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import openpyxl
import pytest
from click.testing import Result
from fastapi import FastAPI
from reporting_helpers import INTAKE, CaseWriter, Tokens, signal
from typer.testing import CliRunner

from contracts.events import CaseClosed, CaseReferenceAssigned
from contracts.vocabulary import Category, Resolution
from klachtspoor.auth import TokenVerifier
from klachtspoor.cli.main import app as cli
from klachtspoor.disclosure import SuppressionError
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.settings import get_settings
from klachtspoor.tenants import TenantRegistry
from services.reporting.bootstrap import bootstrap
from services.reporting.domain import tables
from services.reporting.settings import ReportingSettings

REPO = Path(__file__).resolve().parents[3]
TENANTS = REPO / "config" / "tenants.yaml"
PROVIDER, CONFIDANTS = "so-trainingsbureau", "akj-zorgbelang-drenthe"
Q1, Q2 = date(2026, 3, 2), date(2026, 4, 7)
Api = tuple[FastAPI, httpx.AsyncClient]


@pytest.fixture
async def api(store: PostgresEventStore, database_url: str, verifier: TokenVerifier) -> AsyncIterator[Api]:
    app = bootstrap(
        ReportingSettings(database_url=database_url),
        store=store,
        verifier=verifier,
        telemetry=False,
        tenants=TenantRegistry.from_file(TENANTS),
    ).app
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://reporting") as client,
    ):
        yield app, client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def write_cases(app: FastAPI, writer: CaseWriter) -> None:
    """2026: bejegening 6 in Q1 (5 closed) and 7 in Q2, procedureel 5 and 6, informatieverstrekking 1."""
    for category, q1, q2 in (
        (Category.TREATMENT, 6, 7),
        (Category.PROCEDURE, 5, 6),
        (Category.INFORMATION, 1, 0),
    ):
        for quarter, many in ((Q1, q1), (Q2, q2)):
            for i in range(many):
                case_id = uuid4()
                events: list[Any] = [
                    signal(category, received_on=quarter),
                    CaseReferenceAssigned(reference=f"KS-{case_id.hex[:8].upper()}"),
                ]
                await writer.append(PROVIDER, case_id, *events, actor=INTAKE)
                if category is Category.TREATMENT and quarter == Q1 and i < 5:
                    await writer.append(
                        PROVIDER, case_id, CaseClosed(resolution=Resolution.RESOLVED_INFORMALLY)
                    )
    await asyncio.wait_for(app.state.statistics.wait_until(writer.last_position), timeout=60)


def tables_of(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {table["key"]: table for section in body["sections"] for table in section["tables"]}


def at(table: dict[str, Any], row: str, column: str | None) -> dict[str, Any]:
    i = table["rows"].index(row)
    return table["row_totals"][i] if column is None else table["cells"][i][table["columns"].index(column)]


async def test_the_yearly_analysis_in_every_format(api: Api, writer: CaseWriter, tokens: Tokens) -> None:
    app, client = api
    await write_cases(app, writer)
    headers = bearer(tokens((PROVIDER,), ("director",)))
    url = f"/v1/tenants/{PROVIDER}/reports/jaaranalyse"

    response = await client.get(url, params={"period": "2026"}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["report"], body["title"], body["period"], body["threshold"]) == (
        "jaaranalyse",
        "Jaaranalyse klachten 2026",
        "2026",
        5,
    )
    assert body["letterhead"]["name"] == "SO! Trainingsbureau"
    assert body["letterhead"]["email"] == "info@sotrainingsbureau.nl"
    tables = tables_of(body)
    trend, quarters = tables["categorie_jaren"], tables["categorie_kwartaal"]
    assert at(trend, "treatment", "2026") == {"value": 13, "suppressed": False}
    assert at(quarters, "information", "2026-Q1") == {"value": None, "suppressed": True}
    for category in trend["rows"]:
        assert at(trend, category, "2026") == at(quarters, category, None), category
    assert body["handling_time"] == {
        "cases_ended": 5,
        "median_working_days": 0.0,
        "p90_working_days": 0,
        "suppressed": False,
    }

    pdf = await client.get(url, params={"period": "2026", "format": "pdf"}, headers=headers)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert 'filename="jaaranalyse-so-trainingsbureau-2026.pdf"' in pdf.headers["content-disposition"]
    again = await client.get(url, params={"period": "2026", "format": "pdf"}, headers=headers)
    assert again.content == pdf.content, "the same events give the same report"

    xlsx = await client.get(url, params={"period": "2026", "format": "xlsx"}, headers=headers)
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert len(book.sheetnames) == len(tables)

    text = (await client.get(url, params={"period": "2026", "format": "csv"}, headers=headers)).text
    rows = list(csv.reader(io.StringIO(text)))
    assert any(row[:1] == ["informatieverstrekking"] and row[1] == "x" for row in rows), rows


async def test_the_confidant_reports_serve_their_organisation(api: Api, tokens: Tokens) -> None:
    _, client = api
    headers = bearer(tokens((CONFIDANTS,), ("confidant",)))
    for name, title in (
        ("kwartaalrapportage", "Kwartaalrapportage vertrouwenswerk 1e kwartaal 2026"),
        ("trendrapportage", "Trendrapportage vertrouwenswerk 1e kwartaal 2026"),
    ):
        response = await client.get(
            f"/v1/tenants/{CONFIDANTS}/reports/{name}", params={"period": "2026-Q1"}, headers=headers
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["title"] == title
        assert body["letterhead"]["website"] == "https://www.akj.nl"
        for table in tables_of(body).values():
            assert table["total"] == {"value": 0, "suppressed": False}


async def test_roles_tenants_and_bad_input_answer_with_problems(api: Api, tokens: Tokens) -> None:
    _, client = api
    director = bearer(tokens((PROVIDER,), ("director",)))
    cases = [
        (f"/v1/tenants/{PROVIDER}/reports/jaarverslag", {"period": "2026"}, director, 422, "path.report"),
        (f"/v1/tenants/{PROVIDER}/reports/jaaranalyse", {"period": "2030"}, director, 422, "query.period"),
        (f"/v1/tenants/{PROVIDER}/reports/jaaranalyse", {"period": "2026-Q1"}, director, 422, "query.period"),
        (f"/v1/tenants/{PROVIDER}/reports/jaaranalyse", {"period": "26"}, director, 422, "query.period"),
        (f"/v1/tenants/{PROVIDER}/reports/jaaranalyse", {}, director, 422, "query.period"),
        (
            f"/v1/tenants/{PROVIDER}/reports/jaaranalyse",
            {"period": "2026", "format": "doc"},
            director,
            422,
            "query.format",
        ),
        (f"/v1/tenants/{PROVIDER}/reports/kwartaalrapportage", {"period": "2026"}, director, 404, None),
        (
            f"/v1/tenants/{PROVIDER}/reports/jaaranalyse",
            {"period": "2026"},
            bearer(tokens((PROVIDER,), ("care_worker",))),
            403,
            None,
        ),
        (
            f"/v1/tenants/{PROVIDER}/reports/jaaranalyse",
            {"period": "2026"},
            bearer(tokens(("demo",), ("director",))),
            404,
            None,
        ),
        (
            f"/v1/tenants/{CONFIDANTS}/reports/trendrapportage",
            {"period": "2026"},
            bearer(tokens((CONFIDANTS,), ("complaints_officer",))),
            403,
            None,
        ),
        (
            "/v1/tenants/nowhere/reports/jaaranalyse",
            {"period": "2026"},
            bearer(tokens(("nowhere",), ("director",))),
            404,
            None,
        ),
        (f"/v1/tenants/{PROVIDER}/reports/jaaranalyse", {"period": "2026"}, {}, 401, None),
    ]
    for url, params, headers, status, field in cases:
        response = await client.get(url, params=params, headers=headers)
        assert response.status_code == status, (url, params, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        if field is not None:
            assert field in [e["field"] for e in response.json()["errors"]], response.json()


async def test_a_report_whose_suppression_fails_publishes_nothing(
    api: Api, writer: CaseWriter, tokens: Tokens, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, client = api
    await write_cases(app, writer)

    def refuse(*args: object, **kwargs: object) -> object:
        raise SuppressionError("forced by the test")

    monkeypatch.setattr(tables, "protect_linked", refuse)  # the year tables the report is made of
    for format in ("json", "pdf", "csv", "xlsx"):
        response = await client.get(
            f"/v1/tenants/{PROVIDER}/reports/jaaranalyse",
            params={"period": "2026", "format": format},
            headers=bearer(tokens((PROVIDER,), ("auditor",))),
        )
        assert response.status_code == 500
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["rule"] == "suppression_failed"
        assert "13" not in response.text


async def _cli(database_url: str, *args: str) -> Result:
    env = {
        "KLACHTSPOOR_DATABASE_URL": database_url,
        "KLACHTSPOOR_TENANTS_FILE": str(TENANTS),
        "KLACHTSPOOR_STATISTICS_THRESHOLD": "5",
        "COLUMNS": "250",
    }

    def invoke() -> Result:
        get_settings.cache_clear()
        try:
            return CliRunner().invoke(cli, list(args), env=env)
        finally:
            get_settings.cache_clear()

    return await asyncio.to_thread(invoke)


async def test_the_command_line_writes_the_report_the_api_serves(
    api: Api, writer: CaseWriter, tokens: Tokens, database_url: str, tmp_path: Path
) -> None:
    app, client = api
    await write_cases(app, writer)
    output = tmp_path / "jaaranalyse.csv"

    result = await _cli(
        database_url,
        "report",
        "jaaranalyse",
        PROVIDER,
        "--period",
        "2026",
        "--format",
        "csv",
        "--output",
        str(output),
    )

    assert result.exit_code == 0, result.output
    assert "Jaaranalyse klachten 2026 (SO! Trainingsbureau) geschreven naar" in result.output
    served = await client.get(
        f"/v1/tenants/{PROVIDER}/reports/jaaranalyse",
        params={"period": "2026", "format": "csv"},
        headers=bearer(tokens((PROVIDER,), ("director",))),
    )
    assert output.read_bytes() == served.content

    pdf = tmp_path / "jaaranalyse.pdf"
    made = await _cli(
        database_url, "report", "jaaranalyse", PROVIDER, "--period", "2026", "--output", str(pdf)
    )
    assert made.exit_code == 0, made.output
    assert pdf.read_bytes().startswith(b"%PDF-")

    refused = tmp_path / "refused.pdf"
    for args in (
        ("report", "kwartaalrapportage", PROVIDER, "--period", "2026"),
        ("report", "jaaranalyse", PROVIDER, "--period", "2030"),
        ("report", "jaaranalyse", PROVIDER, "--period", "2026-Q1"),
        ("report", "jaaranalyse", "nowhere", "--period", "2026"),
        ("report", "jaarverslag", PROVIDER, "--period", "2026"),
    ):
        bad = await _cli(database_url, *args, "--output", str(refused))
        assert bad.exit_code == 2, (args, bad.output)
        assert not refused.exists()
