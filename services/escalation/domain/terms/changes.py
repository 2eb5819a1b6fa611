"""Staff commands on a running term: extend it once, suspend it, resume it.

An extension names the new due date; it is allowed once, announced before the term ends (when the policy
says so), and at most the policy's maximum past the current due date unless the complainant consented in
writing to a longer one: ``consent_id`` must name such a consent recorded on the case and not withdrawn.
Suspension and resumption record their Dutch calendar days, so the days a term stood still are
derivable from the events alone.
"""

from __future__ import annotations

from uuid import UUID

from contracts.commands import ExtendTerm, ResumeTerm, SuspendTerm
from contracts.events import AnyEvent, TermExtended, TermResumed, TermSuspended
from contracts.policy import ProcedurePolicy
from contracts.vocabulary import ConsentScope, DeadlineKind, NotificationKind
from klachtspoor.calendar import extend, local_date
from services.escalation.domain.case.guards import require_open, require_policy
from services.escalation.domain.case.notices import letters
from services.escalation.domain.case.state import CaseState
from services.escalation.domain.errors import CommandRejected, Rule
from services.escalation.domain.terms.deadlines import derive, policy_term
from services.escalation.domain.terms.history import TermRecord, find


def extend_term(command: ExtendTerm, state: CaseState, policy: ProcedurePolicy | None) -> list[AnyEvent]:
    require_open(command, state)
    pinned = require_policy(command, state, policy)
    record = _running(state, command.deadline, str(command.case_id))
    where = f"(Term: {command.deadline.value}, Case: {command.case_id})"
    if record.suspended:
        raise CommandRejected(Rule.TERM_SUSPENDED, f"the term is suspended; resume it first {where}")
    if record.extended:
        raise CommandRejected(Rule.TERM_ALREADY_EXTENDED, f"a term is extended once only {where}")
    rule = policy_term(pinned, command.deadline, record.term)
    extension = rule.extension if rule is not None else None
    if extension is None:
        raise CommandRejected(
            Rule.TERM_NOT_EXTENDABLE, f"policy {pinned.id} v{pinned.version} allows no extension {where}"
        )
    due = derive(record, pinned)
    today = local_date(command.now)
    if extension.announce_before_end and today > due.due_on:
        raise CommandRejected(
            Rule.TERM_EXTENSION_AFTER_END,
            f"announced on {today.isoformat()}, after the term ended on {due.due_on.isoformat()} {where}",
        )
    if command.new_due_on <= due.due_on:
        raise CommandRejected(
            Rule.TERM_EXTENSION_NOT_LATER,
            f"new due date {command.new_due_on.isoformat()} is not after {due.due_on.isoformat()} {where}",
        )
    if command.consent_id is not None:
        _require_term_consent(state, command.consent_id, where)
    if extension.maximum is not None and command.consent_id is None:
        limit = extend(due.due_on, extension.maximum, follows_atw=due.follows_atw).on
        if command.new_due_on > limit:
            raise CommandRejected(
                Rule.TERM_EXTENSION_BEYOND_MAXIMUM,
                f"new due date {command.new_due_on.isoformat()} is after {limit.isoformat()}, the most "
                f"{extension.maximum.amount} {extension.maximum.unit.value} allow without written consent "
                f"{where}",
            )
    return [
        TermExtended(
            deadline=command.deadline,
            previous_due_on=due.due_on,
            new_due_on=command.new_due_on,
            reason=command.reason,
            consent_id=command.consent_id,
        ),
        *letters(state, policy, command.command_id, NotificationKind.TERM_EXTENDED, command.deadline.value),
    ]


def _require_term_consent(state: CaseState, consent_id: UUID, where: str) -> None:
    """Only the complainant's written consent to a longer term, recorded on this case (``ConsentGiven``
    of scope ``term_beyond_legal_limit``) and not withdrawn, lifts the statutory cap on an extension."""
    support = state.support
    scope = support.current_consent(consent_id)
    wanted = ConsentScope.TERM_BEYOND_LEGAL_LIMIT
    if scope is wanted and consent_id in support.written:
        return
    if consent_id not in support.consents:
        reason = "is not recorded on the case"
    elif consent_id in support.withdrawn:
        reason = "was withdrawn"
    elif scope is not wanted:
        reason = f"covers {support.consents[consent_id].value}, not {wanted.value}"
    else:
        reason = "was not given in writing"
    raise CommandRejected(Rule.TERM_EXTENSION_CONSENT_INVALID, f"consent {consent_id} {reason} {where}")


def suspend_term(command: SuspendTerm, state: CaseState, policy: ProcedurePolicy | None) -> list[AnyEvent]:
    require_open(command, state)
    require_policy(command, state, policy)
    record = _running(state, command.deadline, str(command.case_id))
    if record.suspended:
        raise CommandRejected(
            Rule.TERM_SUSPENDED,
            f"suspended since {record.suspended_on} already "
            f"(Term: {command.deadline.value}, Case: {command.case_id})",
        )
    return [
        TermSuspended(
            deadline=command.deadline,
            reason=command.reason,
            explanation=command.explanation,
            suspended_on=local_date(command.now),
        ),
        *letters(state, policy, command.command_id, NotificationKind.TERM_SUSPENDED, command.deadline.value),
    ]


def resume_term(command: ResumeTerm, state: CaseState, policy: ProcedurePolicy | None) -> list[AnyEvent]:
    require_open(command, state)
    require_policy(command, state, policy)
    record = _running(state, command.deadline, str(command.case_id))
    where = f"(Term: {command.deadline.value}, Case: {command.case_id})"
    if not record.suspended:
        raise CommandRejected(Rule.TERM_NOT_SUSPENDED, f"the term is not suspended {where}")
    today = local_date(command.now)
    if record.suspended_on is not None and today < record.suspended_on:
        raise CommandRejected(
            Rule.RESUMED_BEFORE_SUSPENDED,
            f"resumed on {today.isoformat()}, suspended on {record.suspended_on.isoformat()} {where}",
        )
    return [TermResumed(deadline=command.deadline, resumed_on=today)]


def _running(state: CaseState, kind: DeadlineKind, case_id: str) -> TermRecord:
    record = find(state.terms, kind)
    if record is None or not record.running:
        status = "never started" if record is None else ("met" if record.met else "stopped")
        raise CommandRejected(
            Rule.TERM_NOT_RUNNING, f"term {kind.value} is not running ({status}) (Case: {case_id})"
        )
    return record
