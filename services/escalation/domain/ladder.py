"""The policy's ladder: which steps exist, and which moves between them are allowed.

Under ``one_by_one`` a case moves to the next step only, unless each step passed by lists the reason for
the move among its ``skippable_when`` reasons (e.g. the client does not feel safe with the care worker).
Under ``client_chooses`` the complainant may go to any later step at once. Nobody moves down the ladder:
a new conversation lower down is recorded at the current step.
"""

from __future__ import annotations

from contracts.policy import ProcedurePolicy, StepOrder
from contracts.vocabulary import EscalationReason, EscalationStep
from services.escalation.domain.errors import CommandRejected, Rule


def require_step(policy: ProcedurePolicy, step: EscalationStep) -> int:
    """The index of ``step`` on the ladder; rejected when the policy has no such step."""
    steps = policy.steps
    if step not in steps:
        known = ", ".join(s.value for s in steps)
        raise CommandRejected(
            Rule.LADDER_UNKNOWN_STEP,
            f"step {step.value} is not on the ladder of policy {policy.id} v{policy.version} ({known})",
        )
    return steps.index(step)


def require_move(
    policy: ProcedurePolicy,
    current: EscalationStep | None,
    target: EscalationStep,
    reason: EscalationReason | None,
) -> None:
    """Moving from ``current`` (None: not on the ladder yet) to ``target`` for ``reason`` (None: no reason
    given, so no step may be passed by under ``one_by_one``). Staying at the same step is no move."""
    to = require_step(policy, target)
    start = -1 if current is None or current not in policy.steps else policy.steps.index(current)
    if to == start:
        return
    if to < start:
        raise CommandRejected(
            Rule.LADDER_NOT_FORWARD,
            f"cannot move from {current.value if current else 'no step'} back to {target.value} "
            f"(policy {policy.id} v{policy.version})",
        )
    if policy.order is StepOrder.CLIENT_CHOOSES:
        return
    for rung in policy.ladder[start + 1 : to]:
        if reason is None or reason not in rung.skippable_when:
            why = f"for {reason.value}" if reason else "without a reason"
            raise CommandRejected(
                Rule.LADDER_ONE_BY_ONE,
                f"policy {policy.id} v{policy.version} takes steps one by one: {target.value} passes "
                f"{rung.step.value} by, which may not be skipped {why}",
            )
