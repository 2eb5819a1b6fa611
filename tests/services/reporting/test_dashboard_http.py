"""The dashboard over plain HTTP (no browser): the sign-in cookie's attributes and its CSRF defence, the
error pages, pages that need no script and load nothing from elsewhere, and the figures each role sees:
counted with drill-down links for case readers, protected for managers, the API's own for the trends."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from dashboard_helpers import FOREIGN, TENANT, Seeded, seed, sign_in, today
from fastapi import FastAPI
from reporting_helpers import CaseWriter, Tokens

from klachtspoor.auth import TokenVerifier
from klachtspoor.eventstore.postgres import PostgresEventStore
from services.reporting.bootstrap import bootstrap
from services.reporting.settings import ReportingSettings

Api = tuple[FastAPI, httpx.AsyncClient]
OFFICER = ("complaints_officer",)


def app_of(database_url: str, store: PostgresEventStore, verifier: TokenVerifier, **settings: Any) -> FastAPI:
    chosen = ReportingSettings(database_url=database_url, dashboard_dev_signin=True, **settings)
    return bootstrap(chosen, store=store, verifier=verifier, telemetry=False).app


@pytest.fixture
async def api(store: PostgresEventStore, database_url: str, verifier: TokenVerifier) -> AsyncIterator[Api]:
    app = app_of(database_url, store, verifier)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://reporting") as client,
    ):
        yield app, client


@pytest.fixture
async def seeded(api: Api, writer: CaseWriter) -> Seeded:
    return await seed(api[0], writer)


def set_cookie(response: httpx.Response, name: str) -> str:
    found = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")]
    assert len(found) == 1, response.headers.get_list("set-cookie")
    return found[0]


def attributes(header: str) -> dict[str, str]:
    parts = [p.strip() for p in header.split(";")[1:]]
    return {p.partition("=")[0].lower(): p.partition("=")[2] for p in parts}


def cell(html: str, grid: str, row: str, column: str) -> str:
    """The text of one figure of a grid on the page (``data-grid``, ``data-row``, ``data-col``)."""
    table = re.search(rf'<table class="figures" data-grid="{grid}">(.*?)</table>', html, re.S)
    assert table is not None, f"no grid {grid}"
    line = re.search(rf'<tr data-row="{re.escape(row)}">(.*?)</tr>', table.group(1), re.S)
    assert line is not None, f"no row {row} in {grid}"
    found = re.search(rf'<td class="num[^"]*" data-col="{column}">(.*?)</td>', line.group(1), re.S)
    assert found is not None, f"no column {column} in {grid}/{row}"
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


async def test_sign_in_keeps_the_token_in_a_strict_http_only_cookie(api: Api, tokens: Tokens) -> None:
    _, client = api
    token = tokens((TENANT,), OFFICER)
    response = await sign_in(client, token)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/dashboard/"
    cookie = attributes(set_cookie(response, "klachtspoor_dashboard"))
    assert cookie["path"] == "/dashboard"
    assert "httponly" in cookie and cookie["samesite"].lower() == "strict"
    assert "secure" not in cookie, "plain http in a test: not Secure"
    assert 0 < int(cookie["max-age"]) <= 8 * 3600, "never longer than the token lives"
    assert (await client.get("/dashboard/")).headers["location"] == f"/dashboard/{TENANT}"


async def test_over_https_the_cookies_are_secure(api: Api, tokens: Tokens) -> None:
    app, _ = api
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="https://reporting") as client:
        form = await client.get("/dashboard/aanmelden")
        assert "secure" in attributes(set_cookie(form, "klachtspoor_dashboard_csrf"))
        response = await sign_in(client, tokens((TENANT,), OFFICER))
        assert "secure" in attributes(set_cookie(response, "klachtspoor_dashboard"))


@pytest.mark.parametrize(
    ("origin", "csrf"),
    [(None, True), ("https://evil.example", True), ("http://reporting", False)],
    ids=["no-origin", "foreign-origin", "wrong-csrf"],
)
async def test_sign_in_refuses_a_form_from_elsewhere(
    api: Api, tokens: Tokens, origin: str | None, csrf: bool
) -> None:
    _, client = api
    form = await client.get("/dashboard/aanmelden")
    value = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert value is not None
    headers = {} if origin is None else {"Origin": origin}
    data = {"token": tokens((TENANT,), OFFICER), "csrf": value.group(1) if csrf else "forged"}
    response = await client.post("/dashboard/aanmelden", data=data, headers=headers)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "klachtspoor_dashboard=" not in " ".join(response.headers.get_list("set-cookie"))


async def test_a_bad_token_is_refused_on_the_form(api: Api) -> None:
    _, client = api
    response = await sign_in(client, "not-a-token")
    assert response.status_code == 401
    assert "Dit token is ongeldig of verlopen." in response.text
    assert "klachtspoor_dashboard=" not in " ".join(response.headers.get_list("set-cookie"))


async def test_without_the_development_setting_no_token_can_be_pasted(
    store: PostgresEventStore, database_url: str, verifier: TokenVerifier
) -> None:
    app = bootstrap(
        ReportingSettings(database_url=database_url), store=store, verifier=verifier, telemetry=False
    ).app
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://reporting") as client,
    ):
        page = await client.get("/dashboard/aanmelden")
    assert page.status_code == 200
    assert "<textarea" not in page.text and "identiteitsprovider" in page.text


async def test_error_pages_are_html_with_the_api_statuses(api: Api, tokens: Tokens, seeded: Seeded) -> None:
    _, client = api
    unsigned = await client.get(f"/dashboard/{TENANT}")
    assert unsigned.status_code == 401 and unsigned.headers["content-type"].startswith("text/html")
    assert "WWW-Authenticate" in unsigned.headers and 'href="/dashboard/aanmelden"' in unsigned.text
    client.cookies.set("klachtspoor_dashboard", "forged")
    forged = await client.get(f"/dashboard/{TENANT}")
    assert forged.status_code == 401
    assert attributes(set_cookie(forged, "klachtspoor_dashboard"))["max-age"] == "0", "a bad token is dropped"
    client.cookies.clear()

    await sign_in(client, tokens((TENANT,), ("manager",)))
    assert (await client.get(f"/dashboard/{TENANT}")).status_code == 200
    no_cases = await client.get(f"/dashboard/{TENANT}/zaken?lopend=ja")
    assert no_cases.status_code == 403 and "Managers zien de cijfers, niet de zaken" in no_cases.text
    assert (await client.get(f"/dashboard/{TENANT}/zaken/{seeded.overdue}")).status_code == 403
    foreign = await client.get(f"/dashboard/{FOREIGN}")
    assert foreign.status_code == 404 and "<h1>Niet gevonden</h1>" in foreign.text
    assert (await client.get("/dashboard/nergens/heen/toe")).status_code == 404

    await sign_in(client, tokens((TENANT,), ("care_worker",)))
    no_dashboard = await client.get(f"/dashboard/{TENANT}")
    assert no_dashboard.status_code == 403 and "geen toegang tot het dashboard" in no_dashboard.text
    assert (await client.get("/dashboard/")).status_code == 403


async def test_pages_need_no_script_and_load_nothing_from_elsewhere(
    api: Api, tokens: Tokens, seeded: Seeded
) -> None:
    _, client = api
    await sign_in(client, tokens((TENANT,), OFFICER))
    paths = [
        f"/dashboard/{TENANT}",
        f"/dashboard/{TENANT}/trends",
        f"/dashboard/{TENANT}/zaken?lopend=ja",
        f"/dashboard/{TENANT}/zaken/{seeded.overdue}",
        "/dashboard/aanmelden",
    ]
    for path in paths:
        response = await client.get(path)
        assert response.status_code == 200, (path, response.text)
        html = response.text
        assert '<html lang="nl">' in html and "<main" in html
        assert "<script" not in html.lower(), path
        assert not re.search(r'(src|href)="(https?:)?//', html), f"{path} links outside itself"
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy
        assert response.headers["cache-control"] == "no-store"
    css = await client.get("/dashboard/static/dashboard.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "@import" not in css.text and "url(" not in css.text
    base = await client.get("/dashboard/static/base.css")
    assert base.status_code == 200 and "--focus" in base.text and "url(" not in base.text


async def test_case_readers_see_counts_with_the_cases_behind_them(
    api: Api, tokens: Tokens, seeded: Seeded
) -> None:
    _, client = api
    await sign_in(client, tokens((TENANT,), OFFICER))
    html = (await client.get(f"/dashboard/{TENANT}")).text
    assert cell(html, "open", "complaints_committee", "formal") == "6"
    assert cell(html, "open", "care_worker", "open") == "2"
    assert cell(html, "open", "total", "total") == "8", "the closed case is not open"
    assert cell(html, "due", "judgement", "overdue") == "1"
    assert cell(html, "due", "admissibility", "this_week") == "1"
    assert cell(html, "breached", "judgement", "open_cases") == "1"

    link = re.search(
        r'href="(/dashboard/t1/zaken\?lopend=ja&amp;trede=complaints_committee&amp;status=formal)"', html
    )
    assert link is not None
    listed = await client.get(link.group(1).replace("&amp;", "&"))
    assert set(re.findall(r'data-case="([^"]+)"', listed.text)) == {str(c) for c in seeded.committee}
    for query, expected in (
        ("lopend=ja&termijn=judgement&wanneer=overdue", seeded.overdue),
        ("lopend=ja&termijn=admissibility&wanneer=this_week", seeded.due_this_week),
        ("lopend=ja&overschreden=judgement", seeded.overdue),
    ):
        found = await client.get(f"/dashboard/{TENANT}/zaken?{query}")
        assert re.findall(r'data-case="([^"]+)"', found.text) == [str(expected)], query
    case = await client.get(f"/dashboard/{TENANT}/zaken/{seeded.overdue}")
    assert "Zaak KS-001" in case.text and "verlopen" in case.text
    assert (await client.get(f"/dashboard/{TENANT}/zaken?status=bogus")).status_code == 422


async def test_managers_see_the_operational_counts_protected_and_no_links(
    api: Api, tokens: Tokens, seeded: Seeded
) -> None:
    _, client = api
    await sign_in(client, tokens((TENANT,), ("manager",)))
    html = (await client.get(f"/dashboard/{TENANT}")).text
    assert cell(html, "open", "care_worker", "open") == "x", "2 cases: suppressed"
    assert cell(html, "due", "judgement", "overdue") == "x"
    assert "/zaken" not in html, "no drill-down to cases"
    for small in ("2", "1"):
        assert cell(html, "open", "care_worker", "total") != small


async def test_trend_figures_are_the_statistics_apis(api: Api, tokens: Tokens, seeded: Seeded) -> None:
    _, client = api
    token = tokens((TENANT,), OFFICER)
    await sign_in(client, token)
    year = str(today().year)
    html = (await client.get(f"/dashboard/{TENANT}/trends", params={"jaar": year})).text
    compared = 0
    for dimension in ("category", "channel", "highest_step", "outcome", "term_breached"):
        body = (
            await client.get(
                f"/v1/tenants/{TENANT}/statistics/{dimension}",
                params={"period": year},
                headers={"Authorization": f"Bearer {token}"},
            )
        ).json()
        for row in body["rows"]:
            published = [*row["cells"], row["total"]]
            if all(not c["suppressed"] and c["value"] == 0 for c in published):
                assert (
                    f'data-row="{row["value"]["code"]}"'
                    not in html.split(f'data-grid="{dimension}"')[1][:200]
                )
                continue
            for column, shown in zip([*body["columns"], "total"], published, strict=True):
                expected = "x" if shown["suppressed"] else str(shown["value"])
                assert cell(html, dimension, row["value"]["code"], column) == expected, (dimension, row)
                compared += 1
    assert compared > 10
    assert (await client.get(f"/dashboard/{TENANT}/trends", params={"jaar": "3000"})).status_code == 422


async def test_sign_out_clears_the_cookie_only_from_the_dashboard_itself(api: Api, tokens: Tokens) -> None:
    _, client = api
    await sign_in(client, tokens((TENANT,), OFFICER))
    refused = await client.post("/dashboard/afmelden", headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403
    assert (await client.get(f"/dashboard/{TENANT}")).status_code == 200
    out = await client.post("/dashboard/afmelden", headers={"Origin": "http://reporting"})
    assert out.status_code == 200 and "U bent afgemeld" in out.text
    cleared = attributes(set_cookie(out, "klachtspoor_dashboard"))
    assert cleared["max-age"] == "0" and cleared["path"] == "/dashboard"
    assert (await client.get(f"/dashboard/{TENANT}")).status_code == 401


async def test_a_token_of_several_tenants_chooses_one(api: Api, tokens: Tokens) -> None:
    _, client = api
    token = tokens.granted({TENANT: ["manager"], FOREIGN: ["auditor"], "t3": ["care_worker"]})
    await sign_in(client, token)
    choice = await client.get("/dashboard/")
    assert choice.status_code == 200
    assert re.findall(r'<li><a href="/dashboard/([^"]+)">', choice.text) == [TENANT, FOREIGN]
