"""What the support rules need of a case, folded from its events: the client's consents, the confidant's
contacts and the safety concerns raised.

A state module of its own, so that the case's state (:mod:`~services.escalation.domain.case.state`)
folds it without importing the modules that decide (:mod:`.confidant`, :mod:`.safety`), which read the
case's state in turn.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from uuid import UUID

from contracts.events import (
    AnyEvent,
    ConfidantContactRegistered,
    ConsentGiven,
    ConsentWithdrawn,
    SafetyConcernRaised,
)
from contracts.vocabulary import ConsentScope
from klachtspoor.frozen import replace


@dataclass(frozen=True, slots=True)
class SupportState:
    """What the confidant and safety rules need: consents by id with their scope, those given in writing,
    the withdrawn ones, registered contacts (for idempotency) and raised safety concerns."""

    consents: Mapping[UUID, ConsentScope] = field(default_factory=dict)
    written: frozenset[UUID] = frozenset()
    withdrawn: frozenset[UUID] = frozenset()
    contacts: frozenset[UUID] = frozenset()
    concerns: frozenset[UUID] = frozenset()

    def current_consent(self, consent_id: UUID) -> ConsentScope | None:
        return None if consent_id in self.withdrawn else self.consents.get(consent_id)

    @property
    def mail_withdrawn(self) -> bool:
        """The complainant took back the consent to be mailed. Giving an e-mail address is that consent,
        so it holds until an ``email_correspondence`` consent is withdrawn, and again once one is given
        that holds."""
        scope = ConsentScope.EMAIL_CORRESPONDENCE
        withdrawn = any(self.consents.get(consent_id) is scope for consent_id in self.withdrawn)
        return withdrawn and not any(self.current_consent(c) is scope for c in self.consents)


def evolve_support(state: SupportState, event: AnyEvent) -> SupportState:
    match event:
        case ConsentGiven():
            written = state.written | {event.consent_id} if event.written else state.written
            return replace(state, consents={**state.consents, event.consent_id: event.scope}, written=written)
        case ConsentWithdrawn():
            return replace(state, withdrawn=state.withdrawn | {event.consent_id})
        case ConfidantContactRegistered():
            return replace(state, contacts=state.contacts | {event.contact_id})
        case SafetyConcernRaised():
            return replace(state, concerns=state.concerns | {event.concern_id})
        case _:
            return state
