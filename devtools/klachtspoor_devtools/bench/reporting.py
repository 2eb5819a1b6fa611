"""``klachtspoor bench reporting``: reporting's read endpoints over many cases in the demo tenant.

One fresh database gets a log of N cases of the demo tenant (:mod:`klachtspoor_devtools.bench.rebuild_log`),
which reporting's projections rebuild (``klachtspoor projections rebuild``); then the reporting app
(projections not running, the rows as they are) answers, in process through ASGI (no network), each
statistics table (every dimension, JSON and CSV, a year and a quarter) and the case list, a case and its
timeline, and the dashboard's pages (overview, trends, case list, a case), ``--requests`` times each
after a warm-up one. Recorded per endpoint: p50, p95, max in ms.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import asyncpg
import httpx

from klachtspoor import pgconnect
from klachtspoor.auth import TokenVerifier
from klachtspoor.auth.devkeys import ensure_dev_keys, mint_token, same_roles
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.pgtools import create_database, drop_database, scratch_name
from klachtspoor.projections import load_projection, rebuild_projection
from klachtspoor.settings import Settings
from klachtspoor_devtools.bench.rebuild_log import write_log
from services.reporting.bootstrap import bootstrap
from services.reporting.domain.tables import PublishedDimension
from services.reporting.entrypoints.dashboard.session import TOKEN_COOKIE
from services.reporting.settings import ReportingSettings

TENANT = "demo"
_TIMEOUTS = pgconnect.Timeouts(command=3600.0, acquire=10.0)


def _paths(case_id: str) -> list[str]:
    base = f"/v1/tenants/{TENANT}"
    paths = [
        f"{base}/statistics/{dimension.value}?period={period}{fmt}"
        for dimension in PublishedDimension
        for period in ("2025", "2025-Q3")
        for fmt in ("", "&format=csv")
    ]
    return [
        *paths,
        f"{base}/cases?limit=50",
        f"{base}/cases?limit=50&offset=5000",
        f"{base}/cases/{case_id}",
        f"{base}/cases/{case_id}/timeline",
        f"/dashboard/{TENANT}",
        f"/dashboard/{TENANT}/trends",
        f"/dashboard/{TENANT}/zaken",
        f"/dashboard/{TENANT}/zaken/{case_id}",
    ]


async def run_reporting_bench(
    server_url: str, cases: int, requests: int, on_round: Callable[[int], None] | None = None
) -> dict[str, object]:
    name = scratch_name("ks_bench")
    url = await create_database(server_url, name)
    try:
        events = await write_log(url, 0, tenants=(TENANT,), cases=cases)
        store = await PostgresEventStore.connect(url, pool_size=2, notify=False)
        settings = Settings(database_url=url)
        rebuilt = {}
        try:
            for projection in ("reporting", "statistics"):
                conn = await pgconnect.connect(url, _TIMEOUTS)
                try:
                    result = await rebuild_projection(store, conn, load_projection(projection, settings))
                finally:
                    await conn.close()
                rebuilt[projection] = round(result.seconds, 1)
        finally:
            await store.close()
        conn = await asyncpg.connect(url)
        try:
            await conn.execute("ANALYZE")
            case_id = str(await conn.fetchval("SELECT case_id FROM reporting.cases ORDER BY case_id LIMIT 1"))
        finally:
            await conn.close()
        with tempfile.TemporaryDirectory() as keys:
            private, public = ensure_dev_keys(Path(keys))
            verifier = TokenVerifier(public_key_pem=public.read_text())
            token = mint_token(
                private.read_text(), subject="bench", tenant_roles=same_roles([TENANT], ["director"])
            )
            timings = await _measure(url, verifier, token, _paths(case_id), requests, on_round)
    finally:
        await drop_database(server_url, name)
    return {
        "cases": cases,
        "events": events,
        "rebuild_seconds": rebuilt,
        "requests": requests,
        "endpoints": timings,
    }


async def _measure(
    url: str,
    verifier: TokenVerifier,
    token: str,
    paths: list[str],
    requests: int,
    on_round: Callable[[int], None] | None,
) -> dict[str, dict[str, float]]:
    app = bootstrap(
        ReportingSettings(database_url=url), verifier=verifier, run_projection=False, telemetry=False
    ).app
    headers = {"Authorization": f"Bearer {token}"}
    results: dict[str, dict[str, float]] = {}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://reporting") as client,
    ):
        client.cookies.set(TOKEN_COOKIE, token)  # the dashboard's sign-in, as its pages read it
        for number, path in enumerate(paths, 1):
            warm = await client.get(path, headers=headers)
            if warm.status_code != 200:
                raise RuntimeError(f"GET {path}: {warm.status_code} {warm.text[:200]}")
            spent = []
            for _ in range(requests):
                started = time.perf_counter()
                response = await client.get(path, headers=headers)
                spent.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
            ordered = sorted(spent)
            results[path] = {
                "p50_ms": round(statistics.median(ordered), 1),
                "p95_ms": round(ordered[max(0, -(-95 * len(ordered) // 100) - 1)], 1),
                "max_ms": round(ordered[-1], 1),
            }
            if on_round is not None:
                on_round(number)
    return results
