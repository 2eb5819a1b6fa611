"""The dashboard in a real browser: Debian's Chromium, headless, driven by Playwright's Python API.

One browser for the module (a fresh profile directory); each test serves reporting on a free port of
its own database. A complaints officer signs in through the sign-in page, opens every page, follows a
drill-down from a figure to the cases behind it, finds the statistics API's figures in the trend tables,
and signs out; a manager gets no drill-down and a token of another tenant is refused. Every page passes
axe-core's WCAG 2.1 A and AA rules without a serious or critical violation, and is kept as a screenshot
at a desktop and a phone width (``.dev/test-artifacts/dashboard/``, beside the public way in's).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from dashboard_helpers import FOREIGN, TENANT, Seeded, seed, today
from playwright.async_api import BrowserContext, Page
from reporting_helpers import CaseWriter, Tokens

from klachtspoor.auth import TokenVerifier
from klachtspoor.eventstore.postgres import PostgresEventStore
from services.reporting.bootstrap import bootstrap
from services.reporting.settings import ReportingSettings
from tests.browser import ARTIFACTS, axe_script, check, chromium
from tests.browser import served as serve


@pytest.fixture(scope="module")
def axe() -> str:
    return axe_script()


@pytest.fixture(scope="module")
async def browser(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BrowserContext]:
    async with chromium(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


@pytest.fixture(scope="module")
def screenshots() -> Path:
    folder = ARTIFACTS / "dashboard"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Served:
    def __init__(self, base: str, app: Any) -> None:
        self.base, self.app = base, app


@pytest.fixture
async def served(
    store: PostgresEventStore, database_url: str, verifier: TokenVerifier
) -> AsyncIterator[Served]:
    settings = ReportingSettings(database_url=database_url, dashboard_dev_signin=True)
    app = bootstrap(settings, store=store, verifier=verifier, telemetry=False).app
    async with serve(app, "reporting") as base:
        yield Served(base, app)


class Checker:
    def __init__(self, axe: str, screenshots: Path) -> None:
        self.axe, self.screenshots = axe, screenshots

    async def __call__(self, page: Page, name: str) -> None:
        await check(page, self.axe, self.screenshots, name)


@pytest.fixture(scope="module")
def checked(axe: str, screenshots: Path) -> Checker:
    return Checker(axe, screenshots)


async def sign_in(page: Page, base: str, token: str) -> None:
    await page.goto(f"{base}/dashboard/aanmelden")
    await page.get_by_label("Token").fill(token)
    await page.get_by_role("button", name="Aanmelden").click()
    await page.wait_for_load_state()


def figure(page: Page, grid: str, row: str, column: str) -> Any:
    return page.locator(f'table[data-grid="{grid}"] tr[data-row="{row}"] td[data-col="{column}"]')


async def test_an_officer_signs_in_opens_every_page_drills_down_and_signs_out(
    browser: BrowserContext, served: Served, writer: CaseWriter, tokens: Tokens, checked: Checker
) -> None:
    seeded: Seeded = await seed(served.app, writer)
    token = tokens((TENANT,), ("complaints_officer",), subject="officer-1")
    page = await browser.new_page()
    try:
        response = await page.goto(f"{served.base}/dashboard/{TENANT}")
        assert response is not None and response.status == 401
        await checked(page, "01-not-signed-in")
        await page.get_by_role("link", name="Aanmelden").click()
        await checked(page, "02-sign-in")
        await page.get_by_label("Token").fill(token)
        await page.get_by_role("button", name="Aanmelden").click()
        await page.wait_for_load_state()
        assert page.url == f"{served.base}/dashboard/{TENANT}", (
            page.url,
            await page.locator("main").inner_text(),
        )
        assert await page.get_by_role("heading", level=1).inner_text() == "Overzicht"
        assert await figure(page, "open", "complaints_committee", "formal").inner_text() == "6"
        await checked(page, "03-overview")

        await figure(page, "open", "complaints_committee", "formal").get_by_role("link").click()
        await page.wait_for_url(re.compile(r".*/zaken\?.*trede=complaints_committee"))
        rows = page.locator("tr[data-case]")
        assert await rows.count() == 6
        listed = {await rows.nth(i).get_attribute("data-case") for i in range(6)}
        assert listed == {str(c) for c in seeded.committee}
        await checked(page, "04-drill-down")
        await page.locator(f'tr[data-case="{seeded.overdue}"] a').click()
        assert await page.get_by_role("heading", level=1).inner_text() == "Zaak KS-001"
        await checked(page, "05-case")

        await page.get_by_role("link", name="Trends").click()
        year = str(today().year)
        async with httpx.AsyncClient(base_url=served.base) as api:
            body = (
                await api.get(
                    f"/v1/tenants/{TENANT}/statistics/category",
                    params={"period": year},
                    headers={"Authorization": f"Bearer {token}"},
                )
            ).json()
        shown = 0
        for row in body["rows"]:
            for column, cell in zip([*body["columns"], "total"], [*row["cells"], row["total"]], strict=True):
                if row["total"]["value"] == 0:
                    continue
                expected = "x" if cell["suppressed"] else str(cell["value"])
                assert await figure(page, "category", row["value"]["code"], column).inner_text() == expected
                shown += 1
        assert shown >= 5
        assert await page.locator("svg[role=img] title").count() >= 8, "a chart per table, with a title"
        await checked(page, "06-trends")

        missing = await page.goto(f"{served.base}/dashboard/{TENANT}/nergens/heen")
        assert missing is not None and missing.status == 404
        await checked(page, "07-not-found")

        await page.goto(f"{served.base}/dashboard/{TENANT}")
        await page.get_by_role("button", name="Afmelden").click()
        assert await page.get_by_role("heading", level=1).inner_text() == "U bent afgemeld"
        await checked(page, "08-signed-out")
        assert not [c for c in await browser.cookies() if c["name"] == "klachtspoor_dashboard"]
        again = await page.goto(f"{served.base}/dashboard/{TENANT}")
        assert again is not None and again.status == 401
    finally:
        await page.close()
        await browser.clear_cookies()


async def test_a_manager_gets_no_cases_and_another_tenant_is_refused(
    browser: BrowserContext, served: Served, writer: CaseWriter, tokens: Tokens, checked: Checker
) -> None:
    await seed(served.app, writer)
    page = await browser.new_page()
    try:
        await sign_in(page, served.base, tokens((TENANT,), ("manager",), subject="manager-1"))
        assert page.url == f"{served.base}/dashboard/{TENANT}"
        assert await figure(page, "open", "care_worker", "open").inner_text() == "x"
        assert await page.locator('a[href*="/zaken"]').count() == 0, "no drill-down for a manager"
        await checked(page, "09-overview-manager")
        refused = await page.goto(f"{served.base}/dashboard/{TENANT}/zaken?lopend=ja")
        assert refused is not None and refused.status == 403
        await checked(page, "10-forbidden")
        await page.goto(f"{served.base}/dashboard/{TENANT}/trends")
        assert await page.locator('a[href*="/zaken"]').count() == 0
        await checked(page, "11-trends-manager")

        await browser.clear_cookies()
        await sign_in(page, served.base, tokens((FOREIGN,), ("complaints_officer",), subject="other-1"))
        assert page.url == f"{served.base}/dashboard/{FOREIGN}"
        foreign = await page.goto(f"{served.base}/dashboard/{TENANT}")
        assert foreign is not None and foreign.status == 404
    finally:
        await page.close()
        await browser.clear_cookies()
