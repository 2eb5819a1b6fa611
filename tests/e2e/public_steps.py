"""What the public walks share: the parent's filing with its acknowledgement checked, the staff's walk of
the same case, the dossier's standing and steps, and the bodies of the committee's hearing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import uuid4

import httpx
from e2e_stack import Stack
from procedure_walk import Walk
from public_parent import Parent
from test_e2e_procedures import due

from klachtspoor.calendar import NETHERLANDS
from klachtspoor.calendar.notation_nl import dutch_date
from klachtspoor.eventstore.port import EventStore

CONVERSATION = "record-informal-conversation"
NEXT = "Ben je niet tevreden over hoe het gaat? Dan is de volgende stap"
"""The dossier page's own words for the next step (a letter on the page may name it too)."""
DESCRIPTION = "Mijn zoon Sam krijgt al weken geen antwoord op zijn vragen aan zijn begeleider."


async def filed(
    stack: Stack, store: EventStore, staff: httpx.AsyncClient, parent: Parent, **form: str
) -> tuple[Walk, dict[str, Any]]:
    """The parent's complaint filed through the form for their child; the staff's walk of that case and
    the parent's first dossier, which holds the acknowledgement."""
    first = await parent.file(capacity="legal_representative", description=DESCRIPTION, **form)
    walk = Walk(stack, store, staff, parent.tenant, case_id=parent.case_id, reference=parent.reference)
    await walk.settled(expect="NotificationSent")
    acknowledgement = await parent.letter(first, "acknowledgement")
    acknowledgement.says(f"Uw melding ligt bij deze stap: {first['step_label']}")
    assert first["standing"] == "received"
    return walk, first


def hearing(day: date) -> dict[str, Any]:
    """An oral hearing two weeks on at 14.30 in the Netherlands."""
    at = datetime.combine(day + timedelta(days=14), time(14, 30), NETHERLANDS)
    return {"hearing_id": str(uuid4()), "scheduled_for": at.isoformat(), "form": "oral"}


def held(scheduled: dict[str, Any]) -> dict[str, Any]:
    return {
        "hearing_id": scheduled["hearing_id"],
        "form": "oral",
        "parties_heard": ["complainant", "provider"],
        "members_present": 3,
        "chair_independent": True,
    }


def invited(day: date) -> str:
    return f"op {dutch_date(day + timedelta(days=14))} om 14.30 uur"


def asked(judge: str, day: date) -> dict[str, Any]:
    return {"judge": judge, "requested_on": day.isoformat(), "written": True}


def terms(dossier: dict[str, Any]) -> dict[str, str]:
    return {term["kind"]: term["due_on"] for term in dossier["terms"]}


async def follows(
    parent: Parent, standing: str, step_label: str | None, next_label: str | None
) -> dict[str, Any]:
    """The dossier as JSON: where the case stands, the step it is at and the next one, as the policy
    names them."""
    dossier = await parent.dossier()
    shown = (dossier["standing"], dossier["step_label"], dossier["next_step_label"])
    assert shown == (standing, step_label, next_label), dossier
    return dossier


def said_due(start: date, term: str) -> str:
    """The due date of ``term`` from ``start`` as letters and pages say it (``5 maart 2027``)."""
    return dutch_date(date.fromisoformat(due(start, term)))
