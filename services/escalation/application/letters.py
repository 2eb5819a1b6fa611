"""The text of each letter a case sent, for the case file: rendered again from the case's events with the
letters notify sends (:mod:`klachtspoor.letters`), so the file shows the letter that went out."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from jinja2 import TemplateError

from contracts.envelope import Envelope
from contracts.events import NotificationSent
from klachtspoor.letters.facts import LetterFactsMissing
from klachtspoor.letters.render import MailRenderer, TemplateMissing
from klachtspoor.letters.sent import sent_letter
from klachtspoor.policies import PolicyRegistry
from klachtspoor.tenants import Tenant, TenantRegistry


class LetterNotRendered(Exception):
    """A sent letter's facts or template are no longer loaded (a deployment error); names ids only."""

    def __init__(self, notification_id: UUID, cause: str) -> None:
        self.notification_id = notification_id
        super().__init__(f"Letter {notification_id} cannot be rendered again ({cause})")


def letter_texts(
    envelopes: Sequence[Envelope],
    tenant: Tenant,
    tenants: TenantRegistry,
    policies: PolicyRegistry,
    renderer: MailRenderer,
) -> dict[UUID, str]:
    """Each sent letter's plain text, by notification id."""
    texts: dict[UUID, str] = {}
    for envelope in envelopes:
        event = envelope.event
        if not isinstance(event, NotificationSent) or event.notification_id in texts:
            continue
        try:
            mail = sent_letter(envelopes, event.notification_id, tenant, tenants, policies, renderer)
        except (LetterFactsMissing, TemplateMissing, TemplateError) as error:
            raise LetterNotRendered(event.notification_id, type(error).__name__) from error
        if mail is not None:
            texts[event.notification_id] = mail.text
    return texts
