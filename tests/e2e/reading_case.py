"""One case of Ik ben er ook! walked to the committee's judgement on the running stack, with a distinct
text in every personal field the reading roles tell apart, and how to read it back: the case file and
the history over HTTP, the chain with ``klachtspoor verify``.

Ik ben er ook! gives the most to read of the published procedures: a conversation at the lowest step, its
own confidant (the organisation's, so the confidant's token names only the case's tenant), the
municipality's generalist, and a committee that hears both sides before it judges."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
from e2e_stack import Stack
from procedure_walk import Walk, signal, today

from klachtspoor.auth.devkeys import mint_token, same_roles
from klachtspoor.eventstore.port import EventStore
from klachtspoor_devtools.devstack.stack import klachtspoor_command

TENANT = "ik-ben-er-ook"
CONVERSATION = "record-informal-conversation"
ERASED = "[verwijderd]"

TEXT = {
    "complainant.name": "Voorbeeld Cliënt",
    "complainant.contact": "client@example.org",
    "signal": "Mijn begeleider zegt afspraken af zonder bericht.",
    "complaint": "Na de gesprekken worden afspraken nog steeds zonder bericht afgezegd.",
    "steps.notes": "Gesprek met de begeleider over de afgezegde afspraken.",
    "confidant.summary": "Durft het niet zelf tegen de begeleider te zeggen.",
    "safety": "Voelt zich op de groep niet veilig.",
    "admissibility": "De klacht valt binnen de regeling van Ik ben er ook!.",
    "minutes": "Cliënt en begeleider gehoord over het afzeggen van afspraken.",
    "reasoning": "Afspraken werden herhaaldelijk zonder bericht afgezegd.",
}
"""What the walk puts in, one distinct text per part (the complainant's name and e-mail address are the
signal's as ``procedure_walk.signal`` files it)."""


@dataclass(frozen=True)
class JudgedCase:
    walk: Walk
    before_judgement: datetime
    """The store time of the last event recorded before the judgement's."""

    @property
    def confidant(self) -> str:
        """The subject of the confidant who registered the contact (the walk's token)."""
        return "e2e-confidant"


async def walk_to_judgement(stack: Stack, store: EventStore, client: httpx.AsyncClient) -> JudgedCase:
    """Signal, the care worker's conversation, the organisation's confidant (a contact with notes, the
    client's consent, a safety concern), the generalist, the complaint to the committee, first contact,
    admissibility, a hearing with minutes and the judgement with its reasoning."""
    day = today()
    walk = Walk(stack, store, client, TENANT)
    await walk.file_signal(signal(day - timedelta(days=3), description=TEXT["signal"]))
    talk = {"step": "care_worker", "held_on": day.isoformat(), "result": "unresolved"}
    await walk.send(CONVERSATION, {**talk, "notes": TEXT["steps.notes"]}, "care_worker")
    await walk.send("escalate", {"to_step": "confidant", "reason": "unresolved"}, "care_worker")
    contact = {
        "contact_id": str(uuid4()),
        "contacted_on": day.isoformat(),
        "channel": "phone",
        "anonymous": False,
        "client_name": TEXT["complainant.name"],
        "summary": TEXT["confidant.summary"],
    }
    await walk.send("register-confidant-contact", contact, "confidant")
    consent = {"consent_id": str(uuid4()), "scope": "confidant_contacts_organisation", "given_by": "client"}
    await walk.send("give-consent", {**consent, "written": False}, "confidant")  # so the confidant reads
    concern = {"concern_id": str(uuid4()), "danger": "acute_danger", "description": TEXT["safety"]}
    await walk.send("raise-safety-concern", concern, "confidant")
    up = {"to_step": "municipal_generalist", "reason": "unresolved"}
    await walk.send("escalate", up, "municipal_generalist")
    up = {"to_step": "complaints_committee", "reason": "unresolved"}
    await walk.send("escalate", up, "municipal_generalist")
    committee = "complaints_committee"
    complaint = {
        "filed_with": committee,
        "channel": "web_form",
        "received_on": day.isoformat(),
        "written": True,
        "description": TEXT["complaint"],
    }
    await walk.send("file-complaint", complaint, committee)
    await walk.send("record-first-contact", {"channel": "email"}, committee)
    admissible = {"admissible": True, "explanation": TEXT["admissibility"]}
    await walk.send("decide-admissibility", admissible, committee)
    asked = {"judge": committee, "requested_on": day.isoformat(), "written": True}
    await walk.send("request-judgement", asked, committee)
    hearing_id = str(uuid4())
    schedule = {"hearing_id": hearing_id, "scheduled_for": f"{day}T09:00:00+00:00", "form": "oral"}
    await walk.send("schedule-hearing", schedule, committee)
    held = {
        "hearing_id": hearing_id,
        "form": "oral",
        "parties_heard": ["complainant", "provider"],
        "members_present": 3,
        "chair_independent": True,
        "minutes": TEXT["minutes"],
    }
    await walk.send("record-hearing", held, committee)
    before = (await store.read_stream(walk.stream))[-1].recorded_at
    judgement = {
        "judge": committee,
        "outcome": "partly_upheld",
        "reasoning": TEXT["reasoning"],
        "given_on": day.isoformat(),
    }
    await walk.send("give-judgement", judgement, committee)
    return JudgedCase(walk, before)


def token(walk: Walk, role: str, subject: str) -> str:
    """A token of ``role`` in the case's tenant for ``subject`` (a reader of its own, so the access log
    can be searched for exactly that reader's reads)."""
    return mint_token(
        walk.stack.private_key, subject=subject, tenant_roles=same_roles([walk.tenant], (role,))
    )


async def escalation_get(walk: Walk, path: str, bearer: str, **params: str) -> httpx.Response:
    """GET ``/v1/tenants/{tenant}{path}`` from escalation with ``bearer``."""
    url = f"{walk.stack.url('escalation')}/v1/tenants/{walk.tenant}{path}"
    return await walk.client.get(url, params=params, headers={"Authorization": f"Bearer {bearer}"})


async def case_file(walk: Walk, bearer: str) -> dict[str, Any]:
    """The case file as ``bearer`` reads it, which must be served."""
    response = await escalation_get(walk, f"/cases/{walk.case_id}/file", bearer)
    assert response.status_code == 200, f"case file: {response.status_code} {response.text}"
    body: dict[str, Any] = response.json()
    assert body["case_id"] == str(walk.case_id)
    return body


def step(body: dict[str, Any], kind: str, fact: str) -> Any:
    """``fact`` of the one step of ``kind`` in a case file (None when the role may not read it)."""
    [found] = [s for s in body["steps"] if s["kind"] == kind]
    return found["facts"].get(fact)


def contacts(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The confidant's contacts a case file shows (none when the role may not read the confidant's part)."""
    confidant = (body.get("support") or {}).get("confidant")
    return [] if confidant is None else list(confidant["contacts"])


async def history(walk: Walk, bearer: str, as_of: datetime | None = None) -> dict[str, Any]:
    """The case's history as of ``as_of`` (now when None), which must be served."""
    params = {} if as_of is None else {"as_of": as_of.isoformat()}
    response = await escalation_get(walk, f"/cases/{walk.case_id}/history", bearer, **params)
    assert response.status_code == 200, f"history: {response.status_code} {response.text}"
    body: dict[str, Any] = response.json()
    return body


async def verify(walk: Walk) -> tuple[int, dict[str, Any]]:
    """``klachtspoor verify --tenant … --case … --json`` run as its own process against the stack's
    database, with the environment the stack's processes have: its exit code and its JSON outcome."""
    argv = [*klachtspoor_command(), "verify", "--tenant", walk.tenant, "--case", str(walk.case_id), "--json"]
    ran = await asyncio.to_thread(
        subprocess.run,
        argv,
        env={**os.environ, **walk.stack.env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ran.stdout.strip(), f"verify printed nothing (exit {ran.returncode}): {ran.stderr}"
    outcome: dict[str, Any] = json.loads(ran.stdout)
    return ran.returncode, outcome
