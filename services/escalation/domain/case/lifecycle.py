"""The case as a whole: withdrawn at any moment, linked as a duplicate, closed with its outcome, reopened.

Closing names how the case ended, and the case must have got there: a judged case closes with the
judgement's outcome, an inadmissible one after that decision, a mediated one after mediation. Withdrawal
and duplicates have their own commands, which close the case themselves.
"""

from __future__ import annotations

from datetime import datetime

from contracts.commands import Close, LinkAsDuplicate, Reopen, Withdraw
from contracts.events import AnyEvent, CaseClosed, CaseLinkedAsDuplicate, CaseReopened, ComplaintWithdrawn
from contracts.policy import ProcedurePolicy, TermStart
from contracts.vocabulary import DeadlineKind, NotificationKind, Resolution
from klachtspoor.calendar import local_date
from services.escalation.domain.case.guards import pinned_or_none, require_open, require_policy
from services.escalation.domain.case.notices import letters
from services.escalation.domain.case.state import CaseState
from services.escalation.domain.commands import LinkToOriginal
from services.escalation.domain.errors import CommandRejected, Rule
from services.escalation.domain.terms.start import start_term


def withdraw(command: Withdraw, state: CaseState, policy: ProcedurePolicy | None) -> list[AnyEvent]:
    """Allowed at any moment while the case is open, also during a formal procedure (no policy needed)."""
    require_open(command, state)
    return [
        ComplaintWithdrawn(reason=command.reason),
        *letters(state, policy, command.command_id, NotificationKind.WITHDRAWAL_CONFIRMED),
        *_retention(command.now, pinned_or_none(state, policy)),
    ]


def link_as_duplicate(
    command: LinkAsDuplicate, state: CaseState, policy: ProcedurePolicy | None
) -> list[AnyEvent]:
    """Close the case as a duplicate of another case of the same tenant, one the application found."""
    require_open(command, state)
    if command.original_case_id == command.case_id:
        raise CommandRejected(Rule.DUPLICATE_OF_ITSELF, f"case {command.case_id} cannot duplicate itself")
    if not (isinstance(command, LinkToOriginal) and command.original_found):
        raise CommandRejected(
            Rule.DUPLICATE_ORIGINAL_UNKNOWN,
            f"no case {command.original_case_id} in tenant {command.tenant} to link case "
            f"{command.case_id} to",
        )
    return [
        CaseLinkedAsDuplicate(original_case_id=command.original_case_id),
        CaseClosed(resolution=Resolution.DUPLICATE),
        *_retention(command.now, pinned_or_none(state, policy)),
    ]


def close(command: Close, state: CaseState, policy: ProcedurePolicy | None) -> list[AnyEvent]:
    require_open(command, state)
    pinned = require_policy(command, state, policy)
    _require_reached(command, state)
    return [
        CaseClosed(resolution=command.resolution, outcome=command.outcome, summary=command.summary),
        *letters(state, policy, command.command_id, NotificationKind.CASE_CLOSED),
        *_retention(command.now, pinned),
    ]


def reopen(command: Reopen, state: CaseState, policy: ProcedurePolicy | None) -> list[AnyEvent]:
    where = f"(Case: {command.case_id})"
    if not state.opened:
        raise CommandRejected(Rule.CASE_NOT_OPEN, f"no signal or complaint opened this case {where}")
    if state.erased:
        raise CommandRejected(Rule.CASE_ERASED, f"the case's personal data was erased {where}")
    if not state.closed:
        raise CommandRejected(Rule.CASE_NOT_CLOSED, f"only a closed case is reopened {where}")
    return [CaseReopened(reason=command.reason)]


def _require_reached(command: Close, state: CaseState) -> None:
    where = f"(Case: {command.case_id})"
    resolution = command.resolution
    if resolution in (Resolution.WITHDRAWN, Resolution.DUPLICATE):
        use = "Withdraw" if resolution is Resolution.WITHDRAWN else "LinkAsDuplicate"
        raise CommandRejected(
            Rule.RESOLUTION_NEEDS_ITS_COMMAND, f"close as {resolution.value} with {use} {where}"
        )
    if state.judgement_pending and resolution is not Resolution.REFERRED_EXTERNALLY:
        judge = state.judge.value if state.judge else "judge"
        raise CommandRejected(Rule.JUDGEMENT_PENDING, f"the {judge}'s judgement is pending {where}")
    if resolution is Resolution.JUDGED and state.judgement is None:
        raise CommandRejected(
            Rule.JUDGEMENT_NOT_GIVEN, f"closed as judged, but no judgement was given {where}"
        )
    if resolution is Resolution.JUDGED and command.outcome is not state.judgement:
        given = state.judgement.value if state.judgement else "none"
        outcome = command.outcome.value if command.outcome else "none"
        raise CommandRejected(Rule.OUTCOME_MISMATCH, f"outcome {outcome}, the judgement was {given} {where}")
    reached = {
        Resolution.INADMISSIBLE: state.admissible is False,
        Resolution.MEDIATED: state.mediation_result is not None,
        Resolution.REFERRED_EXTERNALLY: bool(state.referrals),
    }.get(resolution, True)
    if not reached:
        raise CommandRejected(
            Rule.RESOLUTION_NOT_REACHED,
            f"closed as {resolution.value}, but the case did not get there {where}",
        )


def _retention(now: datetime, policy: ProcedurePolicy | None) -> list[AnyEvent]:
    """The retention term, when the policy sets one, runs from the day the case ends."""
    if policy is None:
        return []
    closed = TermStart.CASE_CLOSED
    return [*start_term(policy, DeadlineKind.RETENTION, closed, {closed: local_date(now)})]
