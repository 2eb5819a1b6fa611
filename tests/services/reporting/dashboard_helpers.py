"""Cases for the dashboard tests, dated from today (the dashboard reads the real clock, as the services
do), and signing in to the dashboard the way a browser does: the form's CSRF pair and its own origin."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

import httpx
from fastapi import FastAPI
from reporting_helpers import INTAKE, CaseWriter, signal

from contracts.events import (
    CaseClosed,
    CaseReferenceAssigned,
    DeadlineBreached,
    EscalatedToNextStep,
    TermStarted,
)
from contracts.values import Term
from contracts.vocabulary import (
    Category,
    DeadlineKind,
    EscalationReason,
    EscalationStep,
    Resolution,
    TermUnit,
)
from klachtspoor.calendar import local_date

TENANT = "t1"
FOREIGN = "t2"


def today() -> date:
    return local_date(datetime.now(UTC))


@dataclass(frozen=True)
class Seeded:
    committee: tuple[UUID, ...]
    """Six open cases at the committee (formal), received over the last quarters."""
    care_worker: tuple[UUID, ...]
    """Two new cases at the care worker."""
    overdue: UUID
    """A committee case whose judgement term is overdue and recorded as breached."""
    due_this_week: UUID
    """A committee case whose admissibility term falls due today."""
    closed: UUID


async def seed(app: FastAPI, writer: CaseWriter, tenant: str = TENANT) -> Seeded:
    """6 committee cases (one overdue and breached, one due today), 2 at the care worker, 1 closed; a
    case of another tenant. Received 0, 91, 182 … days ago, so the year's quarters differ."""
    now = today()
    received = [now - timedelta(days=91 * (i % 3)) for i in range(9)]
    cases: list[UUID] = []
    for i, day in enumerate(received):
        case_id = uuid4()
        category = (Category.TREATMENT, Category.PROCEDURE, Category.INFORMATION)[i % 3]
        await writer.append(
            tenant,
            case_id,
            signal(category, received_on=day),
            CaseReferenceAssigned(reference=f"KS-{i + 1:03d}"),
            actor=INTAKE,
        )
        cases.append(case_id)
    for case_id in cases[:6]:
        await writer.append(
            tenant,
            case_id,
            EscalatedToNextStep(
                from_step=EscalationStep.CARE_WORKER,
                to_step=EscalationStep.COMPLAINTS_COMMITTEE,
                reason=EscalationReason.CLIENT_CHOICE,
            ),
        )
    overdue, due_this_week = cases[0], cases[1]
    late = now - timedelta(days=3)
    await writer.append(
        tenant,
        overdue,
        TermStarted(
            deadline=DeadlineKind.JUDGEMENT,
            started_on=late - timedelta(days=42),
            term=Term(amount=6, unit=TermUnit.WEEKS),
            due_on=late,
        ),
        DeadlineBreached(deadline=DeadlineKind.JUDGEMENT, due_on=late),
    )
    await writer.append(
        tenant,
        due_this_week,
        TermStarted(
            deadline=DeadlineKind.ADMISSIBILITY,
            started_on=now - timedelta(days=28),
            term=Term(amount=4, unit=TermUnit.WEEKS),
            due_on=now,
        ),
    )
    await writer.append(tenant, cases[8], CaseClosed(resolution=Resolution.RESOLVED_INFORMALLY))
    await writer.append(FOREIGN, uuid4(), signal(Category.OTHER, received_on=now), actor=INTAKE)
    await asyncio.wait_for(app.state.projection.wait_until(writer.last_position), timeout=60)
    await asyncio.wait_for(app.state.statistics.wait_until(writer.last_position), timeout=60)
    return Seeded(tuple(cases[:6]), tuple(cases[6:8]), overdue, due_this_week, cases[8])


CSRF_FIELD = re.compile(r'name="csrf" value="([^"]+)"')


async def sign_in(client: httpx.AsyncClient, token: str) -> httpx.Response:
    """Open the sign-in page, then post the token with its CSRF value from the dashboard's own origin."""
    form = await client.get("/dashboard/aanmelden")
    assert form.status_code == 200, form.text
    found = CSRF_FIELD.search(form.text)
    assert found is not None, "the sign-in form carries a CSRF value"
    return await client.post(
        "/dashboard/aanmelden",
        data={"token": token, "csrf": found.group(1)},
        headers={"Origin": str(client.base_url).rstrip("/")},
    )
