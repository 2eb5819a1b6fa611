"""The few cases the authorisation walk needs, set up once on the running stack, each with a distinct text
in every personal part it has, so a read shows exactly which parts it let through.

- the main case of ``OWN``: a named signal, the care worker's conversation with notes, the confidant's
  contact (with the client's name and a summary: the confidant's notes), the client's consent for the
  confidant to contact the organisation, and a safety concern with a description;
- a case of ``OWN`` without consent (a named signal only), for the confidant without consent;
- a case of ``OTHER`` (a named signal), for the several-tenant token in that tenant;
- a case of ``OWN`` filed through the public way in, whose receipt code and secret the complainant holds,
  signed in to the dossier's pages, with its acknowledgement sent (a letter the dossier serves as PDF)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx
from authz_principals import CONFIDANT_ORG, CONFIDANT_SUBJECT, OTHER, OWN, Case
from e2e_stack import Stack
from procedure_walk import Walk, signal, today
from public_parent import Parent

from klachtspoor.auth.devkeys import mint_token
from klachtspoor.eventstore.port import EventStore

DESCRIPTION = "description"


@dataclass(frozen=True)
class Opened:
    tenant: str
    case_id: UUID
    stream: str
    texts: dict[str, str]
    """Case-file name -> the distinct text the case holds under it."""


@dataclass(frozen=True)
class Cases:
    by_case: dict[Case, Opened]
    consent_id: UUID
    dossier_key: dict[str, str]
    """The complainant's receipt code and secret."""
    dossier_cookies: httpx.Cookies
    """The dossier's session, signed in with that code and secret."""
    letter_id: UUID
    """The dossier's acknowledgement, sent."""

    def __getitem__(self, case: Case) -> Opened:
        return self.by_case[case]


def _texts(tag: str) -> dict[str, str]:
    return {
        "complainant.name": f"Cliënt {tag.capitalize()}",
        "complainant.contact": f"authz.{tag}@example.org",
        DESCRIPTION: f"Beschrijving van zaak {tag}: afspraken worden afgezegd.",
    }


async def _named_signal(walk: Walk, texts: dict[str, str]) -> None:
    body = signal(today() - timedelta(days=2), description=texts[DESCRIPTION])
    body["complainant"] = {
        **body["complainant"],
        "name": texts["complainant.name"],
        "email": texts["complainant.contact"],
    }
    await walk.file_signal(body)


async def _confidant(walk: Walk, name: str, body: dict[str, Any]) -> None:
    """A command of the main case's confidant, working from the confidant organisation."""
    token = mint_token(
        walk.stack.private_key,
        subject=CONFIDANT_SUBJECT,
        tenant_roles={walk.tenant: ["confidant"], CONFIDANT_ORG: ["confidant"]},
    )
    url = f"{walk.stack.url('escalation')}/v1/tenants/{walk.tenant}/cases/{walk.case_id}/commands/{name}"
    answer = await walk.client.post(url, json=body, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, f"{name}: {answer.status_code} {answer.text}"
    await walk.settled()


async def _main(stack: Stack, store: EventStore, client: httpx.AsyncClient) -> tuple[Opened, UUID]:
    walk = Walk(stack, store, client, OWN)
    texts = {
        **_texts("hoofdzaak"),
        "steps.notes": "Gespreksnotitie hoofdzaak: de begeleider belt voortaan af.",
        "support.confidant.notes": "Samenvatting vertrouwenspersoon hoofdzaak: durft het niet te zeggen.",
        "support.safety.text": "Zorg om veiligheid hoofdzaak: voelt zich op de groep niet veilig.",
    }
    await _named_signal(walk, texts)
    talk = {"step": "care_worker", "held_on": today().isoformat(), "result": "unresolved"}
    await walk.send("record-informal-conversation", {**talk, "notes": texts["steps.notes"]}, "care_worker")
    contact = {
        "contact_id": str(uuid4()),
        "contacted_on": today().isoformat(),
        "channel": "phone",
        "anonymous": False,
        "summary": texts["support.confidant.notes"],
    }
    await _confidant(walk, "register-confidant-contact", contact)
    consent_id = uuid4()
    consent = {
        "consent_id": str(consent_id),
        "scope": "confidant_contacts_organisation",
        "given_by": "client",
        "written": True,
    }
    await _confidant(walk, "give-consent", consent)
    concern = {
        "concern_id": str(uuid4()),
        "danger": "acute_danger",
        "description": texts["support.safety.text"],
    }
    await walk.send("raise-safety-concern", concern, "care_worker")
    return Opened(OWN, walk.case_id, walk.stream, texts), consent_id


async def _plain(stack: Stack, store: EventStore, client: httpx.AsyncClient, tenant: str, tag: str) -> Opened:
    walk = Walk(stack, store, client, tenant)
    texts = _texts(tag)
    await _named_signal(walk, texts)
    return Opened(tenant, walk.case_id, walk.stream, texts)


async def _dossier(stack: Stack) -> tuple[Opened, Parent]:
    description = "Beschrijving dossierzaak: mijn kind krijgt geen antwoord."
    parent = Parent(stack, OWN, Parent.connection())
    first = await parent.file(
        capacity="legal_representative",
        client_age_band="under_12",
        raised_with="care_worker",
        description=description,
    )
    await parent.sign_in()
    texts = {
        "complainant.name": "Ouder van Sam",
        "complainant.contact": parent.email,
        DESCRIPTION: description,
    }
    opened = Opened(OWN, parent.case_id, f"case:{OWN}:{parent.case_id}", texts)
    assert first["letters"], first
    return opened, parent


async def set_up(stack: Stack, store: EventStore, client: httpx.AsyncClient) -> Cases:
    main, consent_id = await _main(stack, store, client)
    without = await _plain(stack, store, client, OWN, "zonder-toestemming")
    other = await _plain(stack, store, client, OTHER, "andere-organisatie")
    dossier, parent = await _dossier(stack)
    [letter] = [x for x in (await parent.dossier())["letters"] if x["sent_at"]]
    cookies = httpx.Cookies()
    for cookie in parent.client.cookies.jar:
        cookies.jar.set_cookie(cookie)
    await parent.client.aclose()
    return Cases(
        {Case.MAIN: main, Case.WITHOUT_CONSENT: without, Case.OTHER: other, Case.DOSSIER: dossier},
        consent_id,
        parent.key,
        cookies,
        UUID(letter["notification_id"]),
    )
