"""Erasing a case's personal data: on request at any moment, or when its retention term has ended.

The decider only decides that the case is erased (``PersonalDataErased``); shredding the case's key is the
application's, before the event is appended (``application/erasure.py``), so no case ever claims erasure
while its key lives.

A privacy officer's erasure on request is allowed on any case that is not erased yet, open or closed: the
right to erasure does not wait for the procedure. ``retention_expired`` is allowed only when it is true:
the case's retention term (started when it closed) runs and its due date is over. A second erasure is
``case_erased``, as every other command on an erased case. The timer's :class:`EraseAtRetentionEnd`
names the due date it fired for; when the term no longer runs on that date (the case was reopened, or is
already erased) it decides nothing, like a stale warning or breach.
"""

from __future__ import annotations

from contracts.commands import ErasePersonalData
from contracts.events import AnyEvent, PersonalDataErased
from contracts.policy import ProcedurePolicy
from contracts.vocabulary import DeadlineKind, ErasureReason
from klachtspoor.calendar import local_date
from services.escalation.domain.case.guards import pinned_or_none
from services.escalation.domain.case.state import CaseState
from services.escalation.domain.commands import EraseAtRetentionEnd
from services.escalation.domain.errors import CommandRejected, Rule
from services.escalation.domain.terms.deadlines import Deadline, derive
from services.escalation.domain.terms.history import find


def erase(command: ErasePersonalData, state: CaseState, policy: ProcedurePolicy | None) -> list[AnyEvent]:
    where = f"(Case: {command.case_id}, Command: {type(command).__name__})"
    if isinstance(command, EraseAtRetentionEnd):
        retention = retention_term(state, policy)
        if state.erased or retention is None or retention.due_on != command.due_on:
            return []
    if state.erased:
        raise CommandRejected(Rule.CASE_ERASED, f"the case's personal data was erased already {where}")
    if command.reason is ErasureReason.RETENTION_EXPIRED:
        _require_retention_ended(command, state, policy, where)
    return [PersonalDataErased(reason=command.reason, request_reference=command.request_reference)]


def retention_term(state: CaseState, policy: ProcedurePolicy | None) -> Deadline | None:
    """The case's retention term while it runs (unpaused), under the pinned policy; else None."""
    record = find(state.terms, DeadlineKind.RETENTION)
    if record is None:
        return None
    deadline = derive(record, pinned_or_none(state, policy))
    return deadline if deadline.running and not deadline.suspended else None


def _require_retention_ended(
    command: ErasePersonalData, state: CaseState, policy: ProcedurePolicy | None, where: str
) -> None:
    retention = retention_term(state, policy)
    today = local_date(command.now)
    if retention is None:
        raise CommandRejected(
            Rule.RETENTION_NOT_ENDED, f"no retention term runs (the case is not closed, or has none) {where}"
        )
    if today <= retention.due_on:
        raise CommandRejected(
            Rule.RETENTION_NOT_ENDED,
            f"erased on {today.isoformat()}, the retention term ends on {retention.due_on.isoformat()} "
            f"{where}",
        )
