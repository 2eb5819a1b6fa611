"""What the workflow is asked to do. Time and ids come in on the command; the domain produces neither."""

from __future__ import annotations

from typing import TypeAlias
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict

from contracts.base import CaseId, TenantSlug
from contracts.values import Term
from services.escalation.domain.terms import DEFAULT_FIRST_CONTACT_TERM


class AcknowledgeSignal(BaseModel):
    """React to a received signal: acknowledge it to the complainant and start the first-contact term.

    ``causation_event_id`` is the event this reaction answers (the ``SignalReceived``); the ids of what is
    decided derive from it, so answering the same event twice appends nothing new.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    tenant: TenantSlug
    case_id: CaseId
    causation_event_id: UUID
    correlation_id: UUID
    now: AwareDatetime
    first_contact_term: Term = DEFAULT_FIRST_CONTACT_TERM


Command: TypeAlias = AcknowledgeSignal
"""Every command the decider takes (one for now; staff commands follow)."""
