"""Checks every command shares: the case is open (support commands: at least not erased), and the policy
handed in is the one the case pinned."""

from __future__ import annotations

from uuid import UUID

from contracts.base import Command as ContractCommand
from contracts.policy import ProcedurePolicy
from services.escalation.domain.case.state import CaseState
from services.escalation.domain.errors import CommandRejected, Rule


def require_open(command: ContractCommand, state: CaseState) -> None:
    """The case exists, is not closed and still has its personal data."""
    where = f"(Case: {command.case_id}, Command: {type(command).__name__})"
    if not state.opened:
        raise CommandRejected(Rule.CASE_NOT_OPEN, f"no signal or complaint opened this case {where}")
    if state.erased:
        raise CommandRejected(Rule.CASE_ERASED, f"the case's personal data was erased {where}")
    if state.closed:
        resolution = state.resolution.value if state.resolution else "unknown"
        raise CommandRejected(Rule.CASE_CLOSED, f"the case is closed ({resolution}); reopen it first {where}")


def require_not_erased(state: CaseState, case_id: UUID) -> None:
    """The one check of :func:`require_open` that holds for support too: a confidant still talks to the
    client, and danger is still recorded, after a case was closed or before one was opened."""
    if state.erased:
        raise CommandRejected(Rule.CASE_ERASED, f"case {case_id} was erased and takes no new personal data")


def require_policy(
    command: ContractCommand, state: CaseState, policy: ProcedurePolicy | None
) -> ProcedurePolicy:
    """The pinned policy: the case must have pinned one, and ``policy`` must be that very version."""
    where = f"(Case: {command.case_id}, Command: {type(command).__name__})"
    if state.policy is None or policy is None:
        pinned = "none pinned" if state.policy is None else "none given"
        raise CommandRejected(Rule.POLICY_NOT_PINNED, f"the case has no procedure policy ({pinned}) {where}")
    if (policy.id, policy.version) != (state.policy.policy_id, state.policy.version):
        raise CommandRejected(
            Rule.POLICY_MISMATCH,
            f"policy {policy.id} v{policy.version} given, the case pinned "
            f"{state.policy.policy_id} v{state.policy.version} {where}",
        )
    return policy


def pinned_or_none(state: CaseState, policy: ProcedurePolicy | None) -> ProcedurePolicy | None:
    """``policy`` when it is the case's pinned one; for commands that need no policy but use it when there."""
    if policy is None or state.policy is None:
        return None
    return policy if (policy.id, policy.version) == (state.policy.policy_id, state.policy.version) else None
