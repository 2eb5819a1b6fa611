"""A confidant's contacts that are on no case (information, advice, support, mediation): a decider of their
own, on the contact's own stream, beside the case decider."""

from services.escalation.domain.contacts.advice import (
    ContactRule,
    ContactState,
    decide_contact,
    evolve_contact,
    fold_contact,
)

__all__ = ["ContactRule", "ContactState", "decide_contact", "evolve_contact", "fold_contact"]
