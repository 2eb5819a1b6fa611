"""``make dev``'s demo data on the running processes: filed through intake and escalation without a refused
request, a second run adds nothing, and the dashboard then draws every chart of this year's trends with
at least one published bar (the reason the demo data exists)."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

import httpx
import pytest
from e2e_stack import TENANT, Stack, eventually

from klachtspoor.auth.devkeys import mint_token
from klachtspoor.calendar import local_date
from klachtspoor_devtools.devstack.demo import QUARTERS, seed_demo
from klachtspoor_devtools.devstack.demo_contacts import ORGANISATIONS, PER_QUARTER, seed_contacts

pytestmark = pytest.mark.slow
TRACED = False
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
SEEDED = ("cases", "category", "channel", "highest_step", "outcome")
"""The charts the demo data decides alone (the terms depend on when escalation's timer runs)."""
BAR = re.compile(r'<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([0-9.]+)"')


async def test_the_demo_data_fills_every_chart_and_is_filed_once(stack: Stack) -> None:
    intake, escalation = stack.url("intake"), stack.url("escalation")
    filed, problems = await asyncio.to_thread(seed_demo, intake, escalation, stack.private_key)
    assert (filed, problems) == (sum(QUARTERS), [])
    again, problems = await asyncio.to_thread(seed_demo, intake, escalation, stack.private_key)
    assert (again, problems) == (sum(QUARTERS), []), "the same keys: the same answers, nothing new"
    contacts = len(ORGANISATIONS) * 6 * PER_QUARTER
    for _ in range(2):  # the second time: the same ids and keys, nothing new
        registered, problems = await asyncio.to_thread(seed_contacts, escalation, stack.private_key)
        assert (registered, problems) == (contacts, [])

    reporting = stack.url("reporting")
    async with httpx.AsyncClient(base_url=reporting, timeout=30) as client:

        async def all_counted() -> bool:
            body = (await client.get(f"/v1/tenants/{TENANT}/cases", headers=stack.headers())).json()
            return bool(body["total"] == sum(QUARTERS))

        await eventually(all_counted, stack, within=120, what=f"{sum(QUARTERS)} demo cases in reporting")
        form = await client.get("/dashboard/aanmelden")
        found = CSRF.search(form.text)
        assert found is not None, "the dev stack turns the dashboard's dev sign-in on"
        signed = await client.post(
            "/dashboard/aanmelden",
            data={"token": stack.token(), "csrf": found.group(1)},
            headers={"Origin": reporting},
        )
        assert signed.status_code == 303, signed.text
        year = local_date(datetime.now(UTC)).year

        async def charts() -> list[str] | None:
            html = (await client.get(f"/dashboard/{TENANT}/trends", params={"jaar": str(year)})).text
            drawn = dict(re.findall(r'<figure class="chart" data-chart="([^"]+)">(.*?)</figure>', html, re.S))
            if not all(any(float(h) > 0 for h in BAR.findall(drawn.get(key, ""))) for key in SEEDED):
                return None
            return sorted(drawn)

        drawn = await eventually(charts, stack, within=120, what=f"the charts {SEEDED} with a published bar")
        assert set(SEEDED) <= set(drawn)

        confidant = mint_token(
            stack.private_key, subject="e2e-confidant", tenant_roles={ORGANISATIONS[0]: ["confidant"]}
        )
        quarter = f"{year}-Q{(local_date(datetime.now(UTC)).month - 1) // 3 + 1}"

        async def contacts_counted() -> str | None:
            answer = await client.get(
                f"/v1/tenants/{ORGANISATIONS[0]}/reports/kwartaalrapportage",
                params={"period": quarter, "format": "csv"},
                headers={"Authorization": f"Bearer {confidant}"},
            )
            totals = [line for line in answer.text.splitlines() if line.startswith("Totaal,")]
            return (
                totals[0]
                if answer.status_code == 200 and totals and totals[0].split(",")[-1] not in ("0", "x")
                else None
            )

        total = await eventually(contacts_counted, stack, within=120, what="the demo contacts in the report")
        assert int(total.split(",")[-1]) >= PER_QUARTER
