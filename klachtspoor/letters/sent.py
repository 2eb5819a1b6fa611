"""The letter that was sent for a notification, rendered again from the case's events.

Notify renders a letter when it hands it over, from the case's events as they stood then, and appends
``NotificationSent`` right after; so the events before that ``NotificationSent`` are the ones the letter
was made from (only an event appended in the moment between notify loading the case and recording the
handover could make them differ). Rendering them again with the same fold, facts and templates gives the
same letter, addressed as notify addresses it, with the same date (the day its request was recorded,
from the envelope) and so the same PDF. A case erased since shows its placeholders in the text, as
everywhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from contracts.envelope import Envelope
from contracts.events import NotificationSent
from klachtspoor.letters.document import LetterDocument, render_letter
from klachtspoor.letters.render import MailRenderer, RenderedMail
from klachtspoor.letters.state import fold_envelopes
from klachtspoor.policies import PolicyRegistry
from klachtspoor.tenants import Tenant, TenantRegistry


def sent_document(
    envelopes: Sequence[Envelope],
    notification_id: UUID,
    tenant: Tenant,
    tenants: TenantRegistry,
    policies: PolicyRegistry,
    renderer: MailRenderer,
) -> LetterDocument | None:
    """The letter sent for ``notification_id`` (mail and PDF); None when it was not sent (yet), or was
    recorded sent without a request in this case. Raises what notify's rendering raises
    (``LetterFactsMissing``, ``TemplateMissing``, a Jinja2 ``TemplateError``) when the facts or templates
    it was made from are gone."""
    # The last handover: after a bounce and an operator's retry, the letter sent again is the one that
    # (presumably) arrived, made from the events before it.
    handed_over = max(
        (
            index
            for index, envelope in enumerate(envelopes)
            if isinstance(envelope.event, NotificationSent)
            and envelope.event.notification_id == notification_id
        ),
        default=None,
    )
    if handed_over is None:
        return None
    state = fold_envelopes(envelopes[:handed_over])
    notification = state.notification(notification_id)
    if notification is None or state.reference is None:
        return None
    return render_letter(state, notification, tenant, tenants, policies, renderer)


def sent_letter(
    envelopes: Sequence[Envelope],
    notification_id: UUID,
    tenant: Tenant,
    tenants: TenantRegistry,
    policies: PolicyRegistry,
    renderer: MailRenderer,
) -> RenderedMail | None:
    """The mail of :func:`sent_document` (subject, text, HTML)."""
    document = sent_document(envelopes, notification_id, tenant, tenants, policies, renderer)
    return document.mail if document is not None else None
