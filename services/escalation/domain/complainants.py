"""Who may complain: the capacities the policy admits, a surviving relative only after the client died, and
a client alone only from the policy's minimum age (younger children complain through a parent)."""

from __future__ import annotations

from contracts.policy import ProcedurePolicy
from contracts.vocabulary import AgeBand, ComplainantCapacity
from services.escalation.domain.errors import CommandRejected, Rule
from services.escalation.domain.state import ComplainantFacts

_OLDEST_IN_BAND = {AgeBand.UNDER_12: 11, AgeBand.FROM_12_TO_17: 17, AgeBand.ADULT: None}
"""The highest age a band can mean (None: no upper bound). A band is under a minimum age only when even its
oldest member is: a 12-to-17 band against a minimum of 16 cannot be told and is let through."""


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
    minimum = policy.child_min_age_alone
    band = complainant.age_band
    if capacity is ComplainantCapacity.CLIENT and minimum is not None and band is not None:
        oldest = _OLDEST_IN_BAND[band]
        if oldest is not None and oldest < minimum:
            raise CommandRejected(
                Rule.UNDER_MINIMUM_AGE,
                f"a client aged {band.value} complains through a parent or guardian (alone from {minimum}) "
                f"{where}",
            )
