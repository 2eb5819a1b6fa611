"""The auditor's part over HTTP on the running stack (every service its own process, as ``make dev`` runs
them): a signal filed at intake, acknowledged by escalation and notify, then replayed by the auditor as it
stood before the reactions were recorded and as it stands now; the privacy officer sees that read logged."""

from __future__ import annotations

import httpx
import pytest
from e2e_helpers import opened, submit, wait_for_event
from e2e_stack import TENANT, Stack

from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor_devtools.devstack.guide import DEMO_SIGNAL

pytestmark = pytest.mark.slow
SHARED_STACK = True

OPENING = ["SignalReceived", "CaseReferenceAssigned", "ProcedurePolicyPinned"]


async def test_the_auditor_replays_a_case_as_it_stood_and_the_read_is_logged(
    stack: Stack, store: PostgresEventStore
) -> None:
    async with httpx.AsyncClient(timeout=30) as client:
        case = opened(await submit(client, stack, "e2e-history"))
        recorded = await wait_for_event(store, stack, case.stream, "NotificationSent")
        opening_recorded = recorded[0].recorded_at
        path = f"{stack.url('escalation')}/v1/tenants/{TENANT}/cases/{case.case_id}/history"
        auditor = {"Authorization": f"Bearer {stack.token(('auditor',))}"}

        then = await client.get(path, params={"as_of": opening_recorded.isoformat()}, headers=auditor)
        now = await client.get(path, headers=auditor)

        assert then.status_code == 200, then.text
        assert [e["type"] for e in then.json()["timeline"]] == OPENING
        assert then.json()["recorded_after"] == len(recorded) - len(OPENING)
        assert now.status_code == 200, now.text
        timeline = now.json()["timeline"]
        assert [e["type"] for e in timeline] == [e.type for e in recorded]
        sent = next(e for e in timeline if e["type"] == "NotificationSent")
        assert sent["actor"]["role"] == "system" and sent["label"] == "Bericht verzonden"
        assert now.json()["policy"]["policy_id"] == "demo"
        for value in (DEMO_SIGNAL["description"], "Demo Ouder", "ouder@example.org"):
            assert str(value) not in now.text

        privacy = {"Authorization": f"Bearer {stack.token(('privacy_officer',))}"}
        log = await client.get(
            f"{stack.url('escalation')}/v1/tenants/{TENANT}/access-log/cases/{case.case_id}", headers=privacy
        )
        assert log.status_code == 200, log.text
        reads = [r for r in log.json()["records"] if r["channel"].endswith("/history")]
        assert [(r["role"], r["outcome"]) for r in reads] == [("auditor", "served")] * 2
