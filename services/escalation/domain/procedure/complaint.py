"""Filing a complaint (on a signal's case, or as a new case) and deciding whether it is handled.

Admissibility grounds follow Awb art. 9:8 as the procedures adopt them, limited to the policy's list. The
one-year ground is a term in years, so the Algemene termijnenwet does not move it: the conduct is more than
a year before filing when one year after it ends before the day the complaint was received.
"""

from __future__ import annotations

from contracts.commands import DecideAdmissibility, FileComplaint
from contracts.events import AdmissibilityDecided, AnyEvent, ComplaintFiled, ProcedurePolicyPinned
from contracts.policy import ProcedurePolicy, TermStart
from contracts.values import Term
from contracts.vocabulary import AdmissibilityGround, DeadlineKind, NotificationKind, TermUnit
from klachtspoor.calendar import add_term
from services.escalation.domain.case.guards import require_open, require_policy
from services.escalation.domain.case.notices import letters
from services.escalation.domain.case.state import CaseState, ComplainantFacts, evolve
from services.escalation.domain.errors import CommandRejected, Rule
from services.escalation.domain.procedure.complainants import require_entitled
from services.escalation.domain.procedure.ladder import require_move
from services.escalation.domain.terms.deadlines import STATUTORY_TERMS
from services.escalation.domain.terms.start import start_term

ONE_YEAR = Term(amount=1, unit=TermUnit.YEARS)


def file_complaint(
    command: FileComplaint, state: CaseState, policy: ProcedurePolicy | None
) -> list[AnyEvent]:
    """A complaint on the case's own signal, or one that opens the case (then it pins the policy)."""
    events: list[AnyEvent] = []
    if state.opened:
        require_open(command, state)
    else:
        pin = _pin(command)
        events.append(pin)
        state = evolve(state, pin)
    pinned = require_policy(command, state, policy)
    if state.complaint is not None:
        raise CommandRejected(
            Rule.COMPLAINT_ALREADY_FILED,
            f"a complaint was filed with {state.complaint.filed_with.value} on "
            f"{state.complaint.received_on.isoformat()} (Case: {command.case_id})",
        )
    complainant = ComplainantFacts.of(command.complainant) if command.complainant else state.complainant
    if complainant is None:
        raise CommandRejected(
            Rule.COMPLAINANT_UNKNOWN, f"the complaint names no complainant (Case: {command.case_id})"
        )
    require_entitled(pinned, complainant, command.client_deceased)
    require_move(pinned, state.step, command.filed_with, None)
    events.append(
        ComplaintFiled(
            filed_with=command.filed_with,
            channel=command.channel,
            received_on=command.received_on,
            written=command.written,
            complainant=command.complainant,
            about=command.about,
            description=command.description,
            desired_outcome=command.desired_outcome,
            conduct_on=command.conduct_on,
            categories=command.categories,
            client_deceased=command.client_deceased,
        )
    )
    # Filed now: the step it was filed with received it on the same day as the organisation.
    at = TermStart.COMPLAINT_RECEIVED
    received = {at: command.received_on, TermStart.COMPLAINT_RECEIVED_BY_STEP: command.received_on}
    admissibility = STATUTORY_TERMS[DeadlineKind.ADMISSIBILITY]
    events += start_term(pinned, DeadlineKind.ADMISSIBILITY, at, received, default=admissibility)
    events += start_term(pinned, DeadlineKind.FIRST_CONTACT, at, received, command.filed_with, step_only=True)
    events += start_term(pinned, DeadlineKind.DISPUTES_COMMITTEE_FILING, at, received)
    return events


def _pin(command: FileComplaint) -> ProcedurePolicyPinned:
    """A complaint that opens the case names its complainant and pins the policy it is handled under."""
    if command.complainant is None:
        raise CommandRejected(
            Rule.COMPLAINANT_UNKNOWN,
            f"a complaint that opens a case names its complainant (Case: {command.case_id})",
        )
    if command.policy_id is None or command.policy_version is None:
        raise CommandRejected(
            Rule.POLICY_NOT_PINNED,
            f"a complaint that opens a case names its procedure policy (Case: {command.case_id})",
        )
    return ProcedurePolicyPinned(policy_id=command.policy_id, policy_version=command.policy_version)


def decide_admissibility(
    command: DecideAdmissibility, state: CaseState, policy: ProcedurePolicy | None
) -> list[AnyEvent]:
    """Decided once; an inadmissible complaint is told to the complainant in writing."""
    require_open(command, state)
    pinned = require_policy(command, state, policy)
    complaint = state.complaint
    if complaint is None:
        raise CommandRejected(Rule.COMPLAINT_NOT_FILED, f"no complaint was filed (Case: {command.case_id})")
    if state.admissible is not None:
        found = "admissible" if state.admissible else "inadmissible"
        raise CommandRejected(
            Rule.ADMISSIBILITY_ALREADY_DECIDED, f"the complaint was found {found} (Case: {command.case_id})"
        )
    ground = command.ground
    if ground is not None:
        if ground not in pinned.admissibility_grounds:
            known = ", ".join(g.value for g in pinned.admissibility_grounds) or "none"
            raise CommandRejected(
                Rule.GROUND_NOT_IN_POLICY,
                f"ground {ground.value} is not one of policy {pinned.id} v{pinned.version}'s ({known})",
            )
        if ground is AdmissibilityGround.OLDER_THAN_ONE_YEAR:
            if complaint.conduct_on is None:
                raise CommandRejected(
                    Rule.CONDUCT_DATE_UNKNOWN,
                    f"the complaint does not say when the conduct took place (Case: {command.case_id})",
                )
            year_after = add_term(complaint.conduct_on, ONE_YEAR).on
            if year_after >= complaint.received_on:
                raise CommandRejected(
                    Rule.CONDUCT_WITHIN_A_YEAR,
                    f"conduct on {complaint.conduct_on.isoformat()} is not more than a year before filing on "
                    f"{complaint.received_on.isoformat()} (Case: {command.case_id})",
                )
    decided: list[AnyEvent] = [
        AdmissibilityDecided(
            admissible=command.admissible,
            ground=ground,
            explanation=command.explanation,
            may_turn_to=command.may_turn_to,
        )
    ]
    if not command.admissible:
        decided += letters(state, policy, command.command_id, NotificationKind.ADMISSIBILITY_DECISION)
    return decided
