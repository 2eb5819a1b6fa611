"""The rules a procedure policy answers itself, shared by every service that applies them: the ladder's
one-by-one rule (intake for the step a new signal is raised with, escalation for every move up the ladder),
the minimum age to raise a signal or complaint alone, and whom a letter goes to besides the complainant.
Pure functions of a :class:`ProcedurePolicy`; a refusal names a stable rule (escalation's ``Rule`` uses
the same names) and a detail without personal data.
"""

from __future__ import annotations

from enum import StrEnum

from contracts.base import ContractModel
from contracts.policy import ProcedurePolicy, Regime, StepOrder
from contracts.vocabulary import (
    AgeBand,
    ComplainantCapacity,
    EscalationReason,
    EscalationStep,
    NotificationKind,
    Recipient,
)

_ABOUT = Recipient.PERSON_COMPLAINED_ABOUT
STATUTORY_RECIPIENTS: dict[Regime, dict[NotificationKind, tuple[Recipient, ...]]] = {
    # Jeugdwet art. 4.2.1: both sides are heard; the judgement goes to the complainant, the person
    # complained about and the provider; the provider tells complainant and committee its measures.
    Regime.JEUGDWET: {
        NotificationKind.HEARING_INVITATION: (_ABOUT,),
        NotificationKind.JUDGEMENT: (_ABOUT, Recipient.PROVIDER),
        NotificationKind.MEASURES: (Recipient.COMPLAINTS_COMMITTEE,),
    },
    # Awb art. 9:11: an adjournment is told in writing to the complainant and the person complained about;
    # art. 9:12: the conclusions go to both.
    Regime.AWB: {
        NotificationKind.TERM_EXTENDED: (_ABOUT,),
        NotificationKind.JUDGEMENT: (_ABOUT,),
    },
    # Wkkgz: the written answer goes to the complainant.
    Regime.WKKGZ: {},
}
"""Whom the law has a letter go to besides the complainant, where a policy's ``recipients`` is silent."""


def letter_recipients(policy: ProcedurePolicy | None, kind: NotificationKind) -> tuple[Recipient, ...]:
    """Whom a letter of ``kind`` goes to besides the complainant: the policy's ``recipients`` for the
    kind, else its regime's statutory rule; nobody else for a case without a policy."""
    if policy is None:
        return ()
    if kind in policy.recipients:
        return policy.recipients[kind]
    return STATUTORY_RECIPIENTS[policy.regime].get(kind, ())


class PolicyRule(StrEnum):
    """The rules the policy itself answers, by the stable name a refusal carries (intake and escalation
    apply the same ones; escalation's ``Rule`` uses the same names)."""

    LADDER_UNKNOWN_STEP = "ladder_unknown_step"
    LADDER_NOT_FORWARD = "ladder_not_forward"
    LADDER_ONE_BY_ONE = "ladder_one_by_one"
    UNDER_MINIMUM_AGE = "under_minimum_age"


class PolicyRefusal(ContractModel):
    """Why the policy does not allow something: the rule and, for people, the detail (no personal data)."""

    rule: PolicyRule
    detail: str


_OLDEST_IN_BAND = {AgeBand.UNDER_12: 11, AgeBand.FROM_12_TO_17: 17, AgeBand.ADULT: None}
"""The highest age a band can mean (None: no upper bound). A band is under a minimum age only when even its
oldest member is: a 12-to-17 band against a minimum of 16 cannot be told and is let through."""


def move_refusal(
    policy: ProcedurePolicy,
    current: EscalationStep | None,
    target: EscalationStep,
    reason: EscalationReason | None,
) -> PolicyRefusal | None:
    """Why a case may not move from ``current`` (None: not on the ladder yet, e.g. a new signal) to
    ``target`` for ``reason`` (None: no reason given, so no step may be passed by under
    ``one_by_one``); None when it may. Staying at the same step is no move; nobody moves down.

    One rule for every way onto a step: intake applies it to the step a new signal is raised with,
    escalation to every escalation, complaint and request for a judgement."""
    where = f"(policy {policy.id} v{policy.version})"
    steps = policy.steps
    if target not in steps:
        known = ", ".join(s.value for s in steps)
        return PolicyRefusal(
            rule=PolicyRule.LADDER_UNKNOWN_STEP,
            detail=f"step {target.value} is not on the ladder of policy {policy.id} v{policy.version} "
            f"({known})",
        )
    to = steps.index(target)
    start = -1 if current is None or current not in steps else steps.index(current)
    if to == start:
        return None
    if to < start:
        return PolicyRefusal(
            rule=PolicyRule.LADDER_NOT_FORWARD,
            detail=f"cannot move from {current.value if current else 'no step'} back to {target.value} "
            f"{where}",
        )
    if policy.order is StepOrder.CLIENT_CHOOSES:
        return None
    for rung in policy.ladder[start + 1 : to]:
        if reason is None or reason not in rung.skippable_when:
            why = f"for {reason.value}" if reason else "without a reason"
            return PolicyRefusal(
                rule=PolicyRule.LADDER_ONE_BY_ONE,
                detail=f"policy {policy.id} v{policy.version} takes steps one by one: {target.value} passes "
                f"{rung.step.value} by, which may not be skipped {why}",
            )
    return None


def age_refusal(
    policy: ProcedurePolicy, capacity: ComplainantCapacity, band: AgeBand | None
) -> PolicyRefusal | None:
    """Why a client of ``band`` may not raise a signal or complaint alone (``child_min_age_alone``: a
    younger child does so through a parent or guardian); None when they may, or the age is unknown."""
    minimum = policy.child_min_age_alone
    if capacity is not ComplainantCapacity.CLIENT or minimum is None or band is None:
        return None
    oldest = _OLDEST_IN_BAND[band]
    if oldest is None or oldest >= minimum:
        return None
    return PolicyRefusal(
        rule=PolicyRule.UNDER_MINIMUM_AGE,
        detail=f"a client aged {band.value} complains through a parent or guardian "
        f"(alone from {minimum}) (policy {policy.id} v{policy.version})",
    )
