"""What every browser test shares: Debian's Chromium, headless, through Playwright's Python API (never a
browser build of its own), axe-core's WCAG 2.1 A/AA rules on each page, screenshots at a desktop and a phone
width, and an app served by uvicorn on a free loopback port (docs/testing.md).

Used by the dashboard's tests (tests/services/reporting/test_dashboard_browser.py) and the public way in's
(tests/services/test_public_browser.py).
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import uvicorn
from axe_playwright_python.base import AXE_FILE_PATH
from playwright.async_api import BrowserContext, Page, async_playwright

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Without these, Chromium on a closed network waits on connections it will never get."""
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / ".dev" / "test-artifacts"
"""Screenshots a person looks at after a run (git-ignored with the rest of ``.dev/``)."""


def chromium_path() -> str:
    assert CHROMIUM.exists(), (
        "Debian's chromium is missing: `make test` installs it (apt-get install chromium)"
    )
    return str(CHROMIUM)


def axe_script() -> str:
    """axe-core as axe-playwright-python ships it (a PyPI wheel, so the tests install offline)."""
    return AXE_FILE_PATH.read_text(encoding="utf-8")


@asynccontextmanager
async def chromium(profile: Path) -> AsyncIterator[BrowserContext]:
    """One headless Chromium with a fresh profile directory."""
    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(profile), executable_path=chromium_path(), args=ARGS, headless=True, viewport=DESKTOP
        )
        context.set_default_timeout(15_000)
        try:
            yield context
        finally:
            await context.close()


async def check(page: Page, axe: str, screenshots: Path, name: str, *, phone_fits: bool = False) -> None:
    """axe-core's WCAG 2.1 A/AA rules on the page as it is (axe injected here, never served), then a
    screenshot of the whole page at desktop and at phone width; the page must fit the window's width (with
    ``phone_fits`` the phone's too: no sideways scrolling, WCAG 1.4.10)."""
    await page.evaluate(axe)
    options = json.dumps({"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]})
    results = await page.evaluate(f"axe.run(document, {options})")
    blocking = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]
    assert not blocking, f"{name}: {blocking}"
    await page.set_viewport_size(DESKTOP)
    await page.screenshot(path=screenshots / f"{name}-desktop.png", full_page=True)
    await page.set_viewport_size(PHONE)
    await page.screenshot(path=screenshots / f"{name}-phone.png", full_page=True)
    if phone_fits:
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{name} is wider than a phone's window ({width} px)"
    await page.set_viewport_size(DESKTOP)
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= DESKTOP["width"], f"{name} is wider than the window"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def served(app: Any, name: str) -> AsyncIterator[str]:
    """``app`` under uvicorn on a free loopback port (its lifespan run); yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    for _ in range(400):
        if server.started or task.done():
            break
        await asyncio.sleep(0.05)
    assert server.started, f"{name} did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=30)
