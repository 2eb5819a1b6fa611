"""The pure core: commands, the case state folded from events, the decider and the derived deadlines.
No I/O, no clock: time comes in on the command, the procedure policy as an argument, and facts such as the
kind of the actor's organisation as values on the command.

At the top: :mod:`.commands` (the one :data:`~.commands.Command` union), :mod:`.decider` (``decide``),
:mod:`.errors` (:class:`~.errors.CommandRejected`) and :mod:`.ids`. The rules live in four rooms:
:mod:`.case` (the case's state and the case as a whole), :mod:`.procedure` (the ladder, the complaint and
the informal and formal routes), :mod:`.terms` (each term's history and its deadlines) and :mod:`.support`
(the confidant and safety); :mod:`.contacts` decides a confidant's contacts that are on no case, each on
a stream of its own. Beside them, :mod:`.casefile` builds what a reader's role may see of a case
(the case file) from its events and pinned policy. Other layers import what they need from here.
"""

from services.escalation.domain.case.skips import (
    AcknowledgementSkip,
    acknowledgement_channel,
    acknowledgement_skip,
)
from services.escalation.domain.case.state import CaseState, ContactOptions, evolve, fold, initial_state
from services.escalation.domain.commands import (
    AcknowledgeSignal,
    ActingOrganisation,
    Command,
    ConfidantContactsOrganisation,
    ConfidantRegistersAdviceContact,
    ConfidantRegistersContact,
    ConfidantWithdrawsAdviceContact,
    ContactDecision,
    CrisisClient,
    DangerKind,
    DossierCommand,
    EraseAtRetentionEnd,
    ErasureCommand,
    LifecycleCommand,
    LinkToOriginal,
    RaiseSafetyConcernCommand,
    Reaction,
    SupportCommand,
)
from services.escalation.domain.contacts import ContactRule, decide_contact, fold_contact
from services.escalation.domain.decider import decide
from services.escalation.domain.errors import CommandRejected, Rule
from services.escalation.domain.ids import event_id
from services.escalation.domain.support.safety import route_of
from services.escalation.domain.terms.deadlines import Deadline, deadlines, derive, running_deadlines
from services.escalation.domain.terms.start import due_date

__all__ = [
    "AcknowledgeSignal",
    "AcknowledgementSkip",
    "ActingOrganisation",
    "CaseState",
    "Command",
    "CommandRejected",
    "ConfidantContactsOrganisation",
    "ConfidantRegistersAdviceContact",
    "ConfidantRegistersContact",
    "ConfidantWithdrawsAdviceContact",
    "ContactDecision",
    "ContactOptions",
    "ContactRule",
    "CrisisClient",
    "DangerKind",
    "Deadline",
    "DossierCommand",
    "EraseAtRetentionEnd",
    "ErasureCommand",
    "LifecycleCommand",
    "LinkToOriginal",
    "RaiseSafetyConcernCommand",
    "Reaction",
    "Rule",
    "SupportCommand",
    "acknowledgement_channel",
    "acknowledgement_skip",
    "deadlines",
    "decide",
    "decide_contact",
    "derive",
    "due_date",
    "event_id",
    "evolve",
    "fold",
    "fold_contact",
    "initial_state",
    "route_of",
    "running_deadlines",
]
