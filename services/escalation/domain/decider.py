"""The decider: ``decide(command, state, policy) -> events``, a thin ``match`` with one function per command.

``command`` is any member of the one :data:`~services.escalation.domain.commands.Command` union; the match
ends in ``assert_never``, so a command added to the union without a case here fails the type check.

``policy`` is the procedure policy the case pinned (the adapter loads it); commands that need the ladder or
its terms are rejected with ``policy_not_pinned`` without one. A command not allowed in the case's state or
by the policy raises :class:`~services.escalation.domain.errors.CommandRejected` naming the rule, and
decides no events.
"""

from __future__ import annotations

from typing import assert_never

from contracts.base import Command as ContractCommand
from contracts.commands import (
    AnnounceMeasures,
    AssignComplaintsOfficer,
    Close,
    ConcludeMediation,
    DecideAdmissibility,
    ErasePersonalData,
    Escalate,
    ExtendTerm,
    FileComplaint,
    GiveConsent,
    GiveJudgement,
    LiftConfidentiality,
    LinkAsDuplicate,
    RecordDeadlineBreach,
    RecordDeadlineWarning,
    RecordFirstContact,
    RecordHearing,
    RecordInformalConversation,
    ReferExternally,
    Reopen,
    RequestJudgement,
    ResumeTerm,
    ScheduleHearing,
    StartMediation,
    SuspendTerm,
    Withdraw,
    WithdrawConsent,
)
from contracts.events import AnyEvent
from contracts.policy import ProcedurePolicy
from services.escalation.domain.case import dossier, erasure, lifecycle
from services.escalation.domain.case.acknowledgement import acknowledge_signal
from services.escalation.domain.case.state import CaseState
from services.escalation.domain.commands import (
    AcknowledgeSignal,
    AddInformation,
    Command,
    ConfidantContactsOrganisation,
    ConfidantRegistersContact,
    RaiseSafetyConcernCommand,
    ReplaceDossierSecret,
)
from services.escalation.domain.procedure import complaint, formal, informal
from services.escalation.domain.support import confidant, safety
from services.escalation.domain.terms import changes, timer

__all__ = ["acknowledge_signal", "decide"]


def decide(command: Command, state: CaseState, policy: ProcedurePolicy | None = None) -> list[AnyEvent]:
    if isinstance(command, ContractCommand):
        confidant.refuse_takeover(command)
    match command:
        case AcknowledgeSignal():
            return acknowledge_signal(command, state, policy)
        case FileComplaint():
            return complaint.file_complaint(command, state, policy)
        case DecideAdmissibility():
            return complaint.decide_admissibility(command, state, policy)
        case RecordFirstContact():
            return informal.record_first_contact(command, state, policy)
        case RecordInformalConversation():
            return informal.record_conversation(command, state, policy)
        case Escalate():
            return informal.escalate(command, state, policy)
        case AssignComplaintsOfficer():
            return informal.assign_officer(command, state, policy)
        case StartMediation():
            return informal.start_mediation(command, state, policy)
        case ConcludeMediation():
            return informal.conclude_mediation(command, state, policy)
        case RequestJudgement():
            return formal.request_judgement(command, state, policy)
        case ScheduleHearing():
            return formal.schedule_hearing(command, state, policy)
        case RecordHearing():
            return formal.record_hearing(command, state, policy)
        case GiveJudgement():
            return formal.give_judgement(command, state, policy)
        case AnnounceMeasures():
            return formal.announce_measures(command, state, policy)
        case ReferExternally():
            return formal.refer_externally(command, state, policy)
        case ExtendTerm():
            return changes.extend_term(command, state, policy)
        case SuspendTerm():
            return changes.suspend_term(command, state, policy)
        case ResumeTerm():
            return changes.resume_term(command, state, policy)
        case RecordDeadlineWarning():
            return timer.record_warning(command, state, policy)
        case RecordDeadlineBreach():
            return timer.record_breach(command, state, policy)
        case Withdraw():
            return lifecycle.withdraw(command, state, policy)
        case Reopen():
            return lifecycle.reopen(command, state, policy)
        case LinkAsDuplicate():
            return lifecycle.link_as_duplicate(command, state, policy)
        case Close():
            return lifecycle.close(command, state, policy)
        case ConfidantRegistersContact():
            return confidant.register_contact(command, state, policy)
        case ConfidantContactsOrganisation():
            return confidant.contact_organisation(command, state, policy)
        case GiveConsent():
            return confidant.give_consent(command, state)
        case WithdrawConsent():
            return confidant.withdraw_consent(command, state)
        case RaiseSafetyConcernCommand():
            return safety.raise_safety_concern(command, state, policy)
        case LiftConfidentiality():
            return safety.lift_confidentiality(command, state)
        case ErasePersonalData():
            return erasure.erase(command, state, policy)
        case AddInformation():
            return dossier.add_information(command, state)
        case ReplaceDossierSecret():
            return dossier.replace_secret(command, state)
        case _:
            assert_never(command)
