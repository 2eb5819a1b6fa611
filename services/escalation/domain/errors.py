"""The one error of the decider: a command broke a rule, so nothing is appended.

``rule`` is a stable name (a :class:`Rule` member, or another module's rule enum) that callers map to an
answer (HTTP 409/422, a log line); ``detail`` names the bad value and its context for people.
"""

from __future__ import annotations

from enum import StrEnum


class Rule(StrEnum):
    """Every rule the lifecycle decider enforces, by the name a rejection carries."""

    CASE_NOT_OPEN = "case_not_open"
    CASE_CLOSED = "case_closed"
    CASE_NOT_CLOSED = "case_not_closed"
    CASE_ERASED = "case_erased"
    POLICY_NOT_PINNED = "policy_not_pinned"
    POLICY_MISMATCH = "policy_mismatch"
    # the ladder
    LADDER_UNKNOWN_STEP = "ladder_unknown_step"
    LADDER_NOT_FORWARD = "ladder_not_forward"
    LADDER_ONE_BY_ONE = "ladder_one_by_one"
    LADDER_NOT_CURRENT_STEP = "ladder_not_current_step"
    WRITTEN_REQUEST_REQUIRED = "written_request_required"
    # who may complain
    COMPLAINANT_UNKNOWN = "complainant_unknown"
    COMPLAINANT_NOT_ENTITLED = "complainant_not_entitled"
    SURVIVING_RELATIVE_WITHOUT_DEATH = "surviving_relative_without_death"
    UNDER_MINIMUM_AGE = "under_minimum_age"
    # the complaint and its admissibility
    COMPLAINT_ALREADY_FILED = "complaint_already_filed"
    COMPLAINT_NOT_FILED = "complaint_not_filed"
    COMPLAINT_INADMISSIBLE = "complaint_inadmissible"
    ADMISSIBILITY_ALREADY_DECIDED = "admissibility_already_decided"
    GROUND_NOT_IN_POLICY = "ground_not_in_policy"
    CONDUCT_DATE_UNKNOWN = "conduct_date_unknown"
    CONDUCT_WITHIN_A_YEAR = "conduct_within_a_year"
    # mediation
    MEDIATION_RUNNING = "mediation_running"
    MEDIATION_NOT_RUNNING = "mediation_not_running"
    MEDIATOR_NOT_ASSIGNED = "mediator_not_assigned"
    # judgement, hearing, measures, referral
    JUDGEMENT_ALREADY_REQUESTED = "judgement_already_requested"
    JUDGEMENT_NOT_REQUESTED = "judgement_not_requested"
    JUDGE_MISMATCH = "judge_mismatch"
    JUDGEMENT_ALREADY_GIVEN = "judgement_already_given"
    JUDGEMENT_NOT_GIVEN = "judgement_not_given"
    JUDGEMENT_PENDING = "judgement_pending"
    HEARING_ONLY_FOR_COMMITTEE = "hearing_only_for_committee"
    HEARING_ALREADY_SCHEDULED = "hearing_already_scheduled"
    HEARING_NOT_SCHEDULED = "hearing_not_scheduled"
    HEARING_ALREADY_HELD = "hearing_already_held"
    HEARING_NOT_HELD = "hearing_not_held"
    BOTH_SIDES_NOT_HEARD = "both_sides_not_heard"
    """The committee judges after hearing both sides (or recording that a side refused to be heard)."""
    COMMITTEE_TOO_SMALL = "committee_too_small"
    CHAIR_NOT_INDEPENDENT = "chair_not_independent"
    MEASURES_ALREADY_ANNOUNCED = "measures_already_announced"
    ALREADY_REFERRED = "already_referred"
    INTERNAL_ROUTE_NOT_EXHAUSTED = "internal_route_not_exhausted"
    NO_STRUCTURAL_SITUATION = "no_structural_situation"
    # closing
    RESOLUTION_NEEDS_ITS_COMMAND = "resolution_needs_its_command"
    RESOLUTION_NOT_REACHED = "resolution_not_reached"
    OUTCOME_MISMATCH = "outcome_mismatch"
    DUPLICATE_OF_ITSELF = "duplicate_of_itself"
    DUPLICATE_ORIGINAL_UNKNOWN = "duplicate_original_unknown"
    """The original a case is linked to is no case of the same tenant."""
    # terms
    TERM_NOT_RUNNING = "term_not_running"
    TERM_SUSPENDED = "term_suspended"
    TERM_NOT_SUSPENDED = "term_not_suspended"
    TERM_NOT_EXTENDABLE = "term_not_extendable"
    TERM_ALREADY_EXTENDED = "term_already_extended"
    TERM_EXTENSION_AFTER_END = "term_extension_after_end"
    TERM_EXTENSION_NOT_LATER = "term_extension_not_later"
    TERM_EXTENSION_BEYOND_MAXIMUM = "term_extension_beyond_maximum"
    TERM_EXTENSION_CONSENT_INVALID = "term_extension_consent_invalid"
    """The consent named for an extension is not a written ``term_beyond_legal_limit`` consent recorded on
    the case and not withdrawn."""
    RESUMED_BEFORE_SUSPENDED = "resumed_before_suspended"
    WARNING_TOO_EARLY = "warning_too_early"
    BREACH_TOO_EARLY = "breach_too_early"
    # erasure
    RETENTION_NOT_ENDED = "retention_not_ended"
    """``retention_expired`` while the case's retention term does not run or its due date is not over."""


class CommandRejected(Exception):
    """A command broke ``rule``; the decider decided no events."""

    def __init__(self, rule: StrEnum, detail: str) -> None:
        self.rule, self.detail = rule, detail
        super().__init__(f"Rejected by rule {rule.value}: {detail}")
