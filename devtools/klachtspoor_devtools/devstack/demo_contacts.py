"""Demo confidant contacts for ``make dev``: information and advice contacts on no case at the two
confidant organisations, over the last six quarters, so that their reports (kwartaalrapportage,
trendrapportage) show figures and not only zeros.

Registered through escalation's public command, as a confidant would. Each contact's id is derived from
its number and every request carries an ``Idempotency-Key``, so a second ``make dev`` adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid5

import httpx

from klachtspoor.auth.devkeys import mint_token
from klachtspoor.calendar import local_date
from klachtspoor_devtools.devstack.demo import quarter_start

ORGANISATIONS = ("akj-zorgbelang-drenthe", "lsr")
PER_QUARTER = 9
KINDS = ("advice", "information", "support", "advice", "mediation")
CHANNELS = ("phone", "phone", "email", "in_person", "chat")
CATEGORIES = ("treatment", "information", "procedure", "treatment", "reporting", "complaint_handling")
CONCERNED = ("demo", "so-trainingsbureau", None)
_IDS = UUID("0b8c6d55-2e0b-4c43-9d59-64656d6f6374")


@dataclass(frozen=True)
class DemoContact:
    organisation: str
    number: int
    contacted_on: date

    @property
    def contact_id(self) -> UUID:
        return uuid5(_IDS, f"{self.organisation}:{self.number}")

    def body(self) -> dict[str, object]:
        return {
            "contacted_on": self.contacted_on.isoformat(),
            "channel": CHANNELS[self.number % len(CHANNELS)],
            "kind": KINDS[self.number % len(KINDS)],
            "categories": [CATEGORIES[self.number % len(CATEGORIES)]],
            "organisation_concerned": CONCERNED[self.number % len(CONCERNED)],
        }


def demo_contacts(today: date) -> Iterator[DemoContact]:
    """The same contacts for the same day: spread over each of the last six quarters, never after today."""
    for organisation in ORGANISATIONS:
        number = 0
        for back in range(5, -1, -1):
            start = quarter_start(today, back)
            end = quarter_start(today, back - 1) - timedelta(days=1) if back else today
            span = max(0, (min(end, today) - start).days)
            for i in range(PER_QUARTER):
                number += 1
                yield DemoContact(organisation, number, start + timedelta(days=span * i // (PER_QUARTER - 1)))


def seed_contacts(escalation: str, private_key_pem: str) -> tuple[int, list[str]]:
    """Register the demo contacts; (registered, problems met). A refusal is reported, never fatal."""
    grants = {organisation: ("confidant",) for organisation in ORGANISATIONS}
    token = mint_token(private_key_pem, subject="dev-demo-confidant", tenant_roles=grants)
    problems: list[str] = []
    registered = 0
    with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
        for contact in demo_contacts(local_date(datetime.now(UTC))):
            answer = client.post(
                f"{escalation}/v1/tenants/{contact.organisation}/contacts/{contact.contact_id}/commands/register",
                json=contact.body(),
                headers={"Idempotency-Key": f"demo-contact-{contact.organisation}-{contact.number}"},
            )
            if answer.status_code >= 300:
                where = f"{contact.organisation} {contact.number}"
                problems.append(f"contact {where}: {answer.status_code} {answer.text[:200]}")
                continue
            registered += 1
    return registered, problems
