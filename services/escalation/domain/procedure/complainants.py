"""Who may complain: the capacities the policy admits, a surviving relative only after the client died, and
a client alone only from the policy's minimum age (younger children complain through a parent; the rule is
the policy's own, :func:`contracts.policy_rules.age_refusal`, which intake applies to signals too)."""

from __future__ import annotations

from contracts.policy import ProcedurePolicy
from contracts.policy_rules import age_refusal
from contracts.vocabulary import ComplainantCapacity
from services.escalation.domain.case.state import ComplainantFacts
from services.escalation.domain.errors import CommandRejected, Rule


def require_entitled(policy: ProcedurePolicy, complainant: ComplainantFacts, client_deceased: bool) -> None:
    where = f"(policy {policy.id} v{policy.version})"
    capacity = complainant.capacity
    if capacity not in policy.complainants:
        allowed = ", ".join(c.value for c in policy.complainants)
        raise CommandRejected(
            Rule.COMPLAINANT_NOT_ENTITLED, f"a {capacity.value} may not complain; allowed: {allowed} {where}"
        )
    if capacity is ComplainantCapacity.SURVIVING_RELATIVE and not client_deceased:
        raise CommandRejected(
            Rule.SURVIVING_RELATIVE_WITHOUT_DEATH,
            f"a surviving relative may complain only when the client has died; none was declared {where}",
        )
    refusal = age_refusal(policy, capacity, complainant.age_band)
    if refusal is not None:
        raise CommandRejected(Rule(refusal.rule.value), refusal.detail)
