"""The informal route: conversations at the lowest level first, up the ladder, the complaints officer and
mediation, first contact."""

from __future__ import annotations

from contracts.commands import (
    AssignComplaintsOfficer,
    ConcludeMediation,
    Escalate,
    RecordFirstContact,
    RecordInformalConversation,
    StartMediation,
)
from contracts.events import (
    AnyEvent,
    ComplaintsOfficerAssigned,
    EscalatedToNextStep,
    FirstContactMade,
    InformalConversationHeld,
    MediationConcluded,
    MediationStarted,
)
from contracts.policy import ProcedurePolicy
from contracts.vocabulary import DeadlineKind, Role
from services.escalation.domain.case.guards import require_open, require_policy
from services.escalation.domain.case.state import CaseState
from services.escalation.domain.errors import CommandRejected, Rule
from services.escalation.domain.procedure.ladder import require_move, require_step
from services.escalation.domain.terms.history import find


def record_conversation(
    command: RecordInformalConversation, state: CaseState, policy: ProcedurePolicy | None
) -> list[AnyEvent]:
    """A conversation is held at the step the case is at; a higher step is reached by escalating first."""
    require_open(command, state)
    pinned = require_policy(command, state, policy)
    require_step(pinned, command.step)
    if command.step is not state.step:
        at = state.step.value if state.step else "no step"
        raise CommandRejected(
            Rule.LADDER_NOT_CURRENT_STEP,
            f"a conversation at {command.step.value} while the case is at {at}; escalate first "
            f"(Case: {command.case_id})",
        )
    return [
        InformalConversationHeld(
            step=command.step,
            held_on=command.held_on,
            result=command.result,
            with_staff_id=command.with_staff_id,
            confidant_present=command.confidant_present,
            notes=command.notes,
        )
    ]


def escalate(command: Escalate, state: CaseState, policy: ProcedurePolicy | None) -> list[AnyEvent]:
    require_open(command, state)
    pinned = require_policy(command, state, policy)
    if command.to_step is state.step:
        raise CommandRejected(
            Rule.LADDER_NOT_FORWARD,
            f"the case is at {command.to_step.value} already (Case: {command.case_id})",
        )
    require_move(pinned, state.step, command.to_step, command.reason)
    return [
        EscalatedToNextStep(
            from_step=state.step,
            to_step=command.to_step,
            reason=command.reason,
            explanation=command.explanation,
        )
    ]


def assign_officer(
    command: AssignComplaintsOfficer, state: CaseState, policy: ProcedurePolicy | None
) -> list[AnyEvent]:
    """Assigning the officer who already has the case decides nothing."""
    require_open(command, state)
    require_policy(command, state, policy)
    if state.officer_id == command.officer_id:
        return []
    return [ComplaintsOfficerAssigned(officer_id=command.officer_id)]


def start_mediation(
    command: StartMediation, state: CaseState, policy: ProcedurePolicy | None
) -> list[AnyEvent]:
    require_open(command, state)
    require_policy(command, state, policy)
    if state.mediation_running:
        raise CommandRejected(
            Rule.MEDIATION_RUNNING, f"mediation is already running (Case: {command.case_id})"
        )
    if state.judgement is not None:
        raise CommandRejected(
            Rule.JUDGEMENT_ALREADY_GIVEN,
            f"a judgement ({state.judgement.value}) was given; mediation comes before it "
            f"(Case: {command.case_id})",
        )
    if command.mediator_role is Role.COMPLAINTS_OFFICER and command.mediator_id != state.officer_id:
        raise CommandRejected(
            Rule.MEDIATOR_NOT_ASSIGNED,
            f"complaints officer {command.mediator_id} mediates, but the case's officer is "
            f"{state.officer_id or 'not assigned'} (Case: {command.case_id})",
        )
    return [MediationStarted(mediator_role=command.mediator_role, mediator_id=command.mediator_id)]


def conclude_mediation(
    command: ConcludeMediation, state: CaseState, policy: ProcedurePolicy | None
) -> list[AnyEvent]:
    require_open(command, state)
    require_policy(command, state, policy)
    if not state.mediation_running:
        raise CommandRejected(
            Rule.MEDIATION_NOT_RUNNING, f"no mediation is running (Case: {command.case_id})"
        )
    return [MediationConcluded(result=command.result, agreement=command.agreement)]


def record_first_contact(
    command: RecordFirstContact, state: CaseState, policy: ProcedurePolicy | None
) -> list[AnyEvent]:
    """The first contact of the step the case is at; it meets the first-contact term that runs.

    Each step that owes a first contact makes its own (the committee's two working days after a first
    step already had one): a contact is recorded while a first-contact term runs, or when the current step
    has none yet; a later contact at a step already contacted, with no term running, is no first contact.
    """
    require_open(command, state)
    term = find(state.terms, DeadlineKind.FIRST_CONTACT)
    owed = term is not None and term.running
    if not owed and state.step in state.first_contacts:
        return []
    return [FirstContactMade(by_role=command.actor.role, channel=command.channel, note=command.note)]
