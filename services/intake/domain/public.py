"""Who may file through the public way in, and at which step: the policy's own rules, checked before
anything is written (docs/public.md).

The public way in has no token to say who files, so the person says it: their capacity, the client's age,
and for two capacities a declaration the law ties them to: a surviving relative complains only when the
client has died (Jeugdwet art. 4.2.1), an authorised person only with the client's written authorisation.
The policy names the capacities it admits (``complainants``) and the age from which a client files alone
(``child_min_age_alone``; :func:`~services.intake.domain.rules.check_signal` applies it with the ladder).
"""

from __future__ import annotations

from dataclasses import dataclass

from contracts.policy import ProcedurePolicy
from contracts.policy_rules import move_refusal
from contracts.vocabulary import ComplainantCapacity, EscalationStep
from services.intake.domain.rules import InvalidSignal


@dataclass(frozen=True, slots=True)
class Declarations:
    """What the person declares on the form (not recorded in the signal, which has no field for it; a
    complaint filed later records ``client_deceased`` itself)."""

    client_deceased: bool = False
    written_authorisation: bool = False


def check_entitled(
    policy: ProcedurePolicy | None, capacity: ComplainantCapacity, declarations: Declarations
) -> None:
    """Raise :class:`InvalidSignal` naming the field when this person may not complain in ``capacity``."""
    if policy is not None and capacity not in policy.complainants:
        allowed = ", ".join(c.value for c in policy.complainants)
        raise InvalidSignal(
            "complainant.capacity",
            "complainant_not_entitled",
            f"may not complain under policy {policy.id} v{policy.version} (allowed: {allowed})",
        )
    if capacity is ComplainantCapacity.SURVIVING_RELATIVE and not declarations.client_deceased:
        raise InvalidSignal(
            "client_deceased",
            "surviving_relative_without_death",
            "a surviving relative may complain only when the client has died",
        )
    if capacity is ComplainantCapacity.AUTHORISED_PERSON and not declarations.written_authorisation:
        raise InvalidSignal(
            "written_authorisation",
            "authorisation_not_in_writing",
            "an authorised person complains with the client's written authorisation",
        )


def starting_steps(policy: ProcedurePolicy | None) -> tuple[EscalationStep, ...]:
    """The steps of the ladder a new case may be raised with (the first one under ``one_by_one``, unless
    the steps before a later one may be passed by; every step under ``client_chooses``), in order. Without
    a policy, the first step of every ladder."""
    if policy is None:
        return (EscalationStep.CARE_WORKER,)
    return tuple(step for step in policy.steps if move_refusal(policy, None, step, None) is None)
