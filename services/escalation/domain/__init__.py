"""The pure core: commands, the case state folded from events, and the decider. No I/O, no clock."""

from services.escalation.domain.commands import AcknowledgeSignal, Command
from services.escalation.domain.decider import decide
from services.escalation.domain.skips import (
    AcknowledgementSkip,
    acknowledgement_channel,
    acknowledgement_skip,
)
from services.escalation.domain.state import CaseState, ContactOptions, evolve, fold, initial_state
from services.escalation.domain.terms import DEFAULT_FIRST_CONTACT_TERM, due_date

__all__ = [
    "DEFAULT_FIRST_CONTACT_TERM",
    "AcknowledgeSignal",
    "AcknowledgementSkip",
    "CaseState",
    "Command",
    "ContactOptions",
    "acknowledgement_channel",
    "acknowledgement_skip",
    "decide",
    "due_date",
    "evolve",
    "fold",
    "initial_state",
]
