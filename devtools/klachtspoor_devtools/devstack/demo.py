"""Demo data for ``make dev``: cases in the demo tenant spread over the last six quarters, so that every
chart of the dashboard shows something.

Made the way a person would make them, through the running services' public APIs: intake takes a
signal with a day of receipt in the past (``received_on``, for a signal taken in earlier), escalation
takes the staff commands that move some cases up the ladder and close others. Escalation starts the
terms, its timer records the terms that ran out, notify sends the acknowledgements to the dev mail sink.
Every request carries an ``Idempotency-Key`` derived from the case's number, so a second ``make dev``
on the same data directory adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from klachtspoor.auth.devkeys import mint_token
from klachtspoor.calendar import local_date

TENANT = "demo"
QUARTERS = (12, 16, 20, 24, 24, 20)
"""Cases per quarter, oldest first, ending with this quarter."""
CATEGORIES = ("treatment", "treatment", "procedure", "treatment", "information", "procedure", "reporting")
CHANNELS = ("web_form", "email", "web_form", "phone", "letter", "web_form", "email")
ROLES = ("care_worker", "manager", "complaints_officer")


@dataclass(frozen=True)
class DemoCase:
    number: int
    received_on: date
    category: str
    channel: str
    to_step: str | None
    """Where escalation moves it after intake (None: it stays with the care worker)."""
    closed: str | None
    """The resolution it is closed with (None: it stays open)."""


def quarter_start(day: date, back: int) -> date:
    """The first day of the quarter ``back`` quarters before the one ``day`` lies in."""
    index = day.year * 4 + (day.month - 1) // 3 - back
    return date(index // 4, (index % 4) * 3 + 1, 1)


def demo_cases(today: date) -> Iterator[DemoCase]:
    """The same cases for the same day: spread over each quarter up to today, never after it."""
    number = 0
    for back, count in zip(range(len(QUARTERS) - 1, -1, -1), QUARTERS, strict=True):
        start = quarter_start(today, back)
        end = min(today, quarter_start(today, back - 1) - timedelta(days=1)) if back else today
        span = max(0, (end - start).days)
        for i in range(count):
            number += 1
            received = start + timedelta(days=span * i // max(1, count - 1) if count > 1 else 0)
            old = back >= 2
            yield DemoCase(
                number=number,
                received_on=min(received, today),
                category=CATEGORIES[number % len(CATEGORIES)],
                channel=CHANNELS[number % len(CHANNELS)],
                to_step=("complaints_officer", "complaints_committee", None, "complaints_committee", None)[
                    number % 5
                ],
                closed=("resolved_informally", "withdrawn", None)[number % 3] if old else None,
            )


def _signal(case: DemoCase) -> dict[str, Any]:
    return {
        "channel": case.channel,
        "complainant": {
            "capacity": "legal_representative",
            "name": f"Demo Ouder {case.number}",
            "email": f"ouder{case.number}@example.org",
            "preferred_channel": "email",
        },
        "categories": [case.category],
        "description": "Voorbeeldzaak voor het dashboard (demodata).",
        "received_on": case.received_on.isoformat(),
    }


def seed_demo(intake: str, escalation: str, private_key_pem: str) -> tuple[int, list[str]]:
    """File the demo cases and their steps; (cases filed, problems met). A refused step is reported,
    never fatal: the stack runs on with the cases it has."""
    token = mint_token(private_key_pem, subject="dev-demo-seed", tenant_roles={TENANT: ROLES})
    headers = {"Authorization": f"Bearer {token}"}
    problems: list[str] = []
    filed = 0
    with httpx.Client(headers=headers, timeout=30) as client:
        for case in demo_cases(local_date(datetime.now(UTC))):
            answer = client.post(
                f"{intake}/v1/tenants/{TENANT}/signals",
                json=_signal(case),
                headers={"Idempotency-Key": f"demo-seed-{case.number}"},
            )
            if answer.status_code != 201:
                problems.append(f"signal {case.number}: {answer.status_code} {answer.text[:200]}")
                continue
            filed += 1
            case_id = answer.json()["case_id"]
            commands = f"{escalation}/v1/tenants/{TENANT}/cases/{case_id}/commands"
            steps: list[tuple[str, dict[str, Any]]] = []
            if case.to_step is not None:
                steps.append(("escalate", {"to_step": case.to_step, "reason": "client_choice"}))
            if case.closed == "withdrawn":
                steps.append(("withdraw", {}))
            elif case.closed is not None:
                steps.append(("close", {"resolution": case.closed}))
            for name, body in steps:
                done = client.post(
                    f"{commands}/{name}",
                    json=body,
                    headers={"Idempotency-Key": f"demo-seed-{case.number}-{name}"},
                )
                if done.status_code >= 300:
                    problems.append(f"{name} {case.number}: {done.status_code} {done.text[:200]}")
    return filed, problems
