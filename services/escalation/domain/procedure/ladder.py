"""The policy's ladder: which steps exist, and which moves between them are allowed.

Under ``one_by_one`` a case moves to the next step only, unless each step passed by lists the reason for
the move among its ``skippable_when`` reasons (e.g. the client does not feel safe with the care worker).
Under ``client_chooses`` the complainant may go to any later step at once. Nobody moves down the ladder:
a new conversation lower down is recorded at the current step.
"""

from __future__ import annotations

from contracts.policy import ProcedurePolicy
from contracts.policy_rules import move_refusal
from contracts.vocabulary import EscalationReason, EscalationStep
from services.escalation.domain.errors import CommandRejected, Rule


def require_step(policy: ProcedurePolicy, step: EscalationStep) -> int:
    """The index of ``step`` on the ladder; rejected when the policy has no such step."""
    refusal = move_refusal(policy, step, step, None)
    if refusal is not None:
        raise CommandRejected(Rule(refusal.rule.value), refusal.detail)
    return policy.steps.index(step)


def require_move(
    policy: ProcedurePolicy,
    current: EscalationStep | None,
    target: EscalationStep,
    reason: EscalationReason | None,
) -> None:
    """Moving from ``current`` (None: not on the ladder yet) to ``target`` for ``reason`` (None: no reason
    given, so no step may be passed by under ``one_by_one``). Staying at the same step is no move. The rule
    is the policy's own (:func:`contracts.policy_rules.move_refusal`); intake applies it to new signals."""
    refusal = move_refusal(policy, current, target, reason)
    if refusal is not None:
        raise CommandRejected(Rule(refusal.rule.value), refusal.detail)
