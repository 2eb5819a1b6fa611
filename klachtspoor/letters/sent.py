"""The letter that was sent for a notification, rendered again from the case's events.

Notify renders a letter when it hands it over, from the case's events as they stood then, and appends
``NotificationSent`` right after; so the events before that ``NotificationSent`` are the ones the letter
was made from (only an event appended in the moment between notify loading the case and recording the
handover could make them differ). Rendering them again with the same fold, facts and templates gives the
same letter, addressed to the complainant's name as notify addresses it. A case erased since shows its
placeholders in the text, as everywhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from contracts.events import AnyEvent, NotificationSent
from klachtspoor.letters.facts import letter_for
from klachtspoor.letters.render import MailRenderer, RenderedMail
from klachtspoor.letters.state import fold
from klachtspoor.policies import PolicyRegistry
from klachtspoor.tenants import Tenant, TenantRegistry


def sent_letter(
    events: Sequence[AnyEvent],
    notification_id: UUID,
    tenant: Tenant,
    tenants: TenantRegistry,
    policies: PolicyRegistry,
    renderer: MailRenderer,
) -> RenderedMail | None:
    """The letter sent for ``notification_id``; None when it was not sent (yet), or was recorded sent
    without a request in this case. Raises what notify's rendering raises (``LetterFactsMissing``,
    ``TemplateMissing``, a Jinja2 ``TemplateError``) when the facts or templates it was made from are gone."""
    handed_over = next(
        (
            index
            for index, event in enumerate(events)
            if isinstance(event, NotificationSent) and event.notification_id == notification_id
        ),
        None,
    )
    if handed_over is None:
        return None
    state = fold(events[:handed_over])
    notification = state.notification(notification_id)
    if notification is None or state.reference is None:
        return None
    letter = letter_for(state, notification, tenant, tenants, policies, state.complainant_name)
    return renderer.render(letter.template, letter.context)
