"""Who reads a confidant's notes: what the client told (a contact's ``client_name`` and ``summary``) is for
the confidant who registered it alone. :func:`visible_fields` is the rule every read side applies, and
:data:`QUARTERLY_REPORT_FIELDS` is all the organisation's quarterly report reads of a contact.
"""

from __future__ import annotations

from dataclasses import dataclass

from contracts.events import AnyEvent, ConfidantContactRegistered
from contracts.vocabulary import Role

CONFIDANT_NOTES: dict[type[AnyEvent], frozenset[str]] = {
    ConfidantContactRegistered: frozenset({"client_name", "summary"}),
}
"""The fields only the confidant who registered the contact may read, per event type."""

QUARTERLY_REPORT_FIELDS = frozenset({"contacted_on", "channel", "categories", "anonymous"})
"""What the quarterly anonymised report to the organisation reads of a contact, and nothing else."""


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who reads: the bearer token's subject, role and tenant."""

    id: str
    role: Role
    tenant: str


def visible_fields(
    event: AnyEvent, viewer: Viewer, case_tenant: str, *, own_confidant: bool = False
) -> frozenset[str]:
    """The payload fields of ``event`` that ``viewer`` may read on a case of ``case_tenant``.

    A confidant's notes are readable by that confidant alone: the role is confidant, the viewer is the
    contact's ``confidant_id`` and works outside the case's tenant, or inside it when ``own_confidant``
    (:func:`~.confidant.has_own_confidant` of the pinned policy). Everyone else (the organisation,
    auditors, other confidants) sees the contact without them. Other events are not restricted here.
    """
    every = frozenset(type(event).model_fields)
    hidden = CONFIDANT_NOTES.get(type(event), frozenset())
    if not hidden or _is_author(event, viewer, case_tenant, own_confidant):
        return every
    return every - hidden


def redact(event: AnyEvent, viewer: Viewer, case_tenant: str, *, own_confidant: bool = False) -> AnyEvent:
    """``event`` with the fields ``viewer`` may not read emptied (all of them are optional)."""
    visible = visible_fields(event, viewer, case_tenant, own_confidant=own_confidant)
    hidden = frozenset(type(event).model_fields) - visible
    return event.model_copy(update=dict.fromkeys(hidden)) if hidden else event


def _is_author(event: AnyEvent, viewer: Viewer, case_tenant: str, own_confidant: bool) -> bool:
    return (
        isinstance(event, ConfidantContactRegistered)
        and viewer.role is Role.CONFIDANT
        and viewer.id == event.confidant_id
        and (viewer.tenant != case_tenant or own_confidant)
    )
