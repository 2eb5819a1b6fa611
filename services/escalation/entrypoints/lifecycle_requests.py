"""Request bodies of the lifecycle commands: each command's own fields, without what the server fills in
(``command_id``, ``tenant``, ``case_id``, ``actor``, ``now``).

The fields and their types are the contract command's (a test keeps them equal), so OpenAPI shows exactly
what the decider takes; the contract's cross-field checks run when the route builds the command, and a
failing one answers 422 naming the fields like any other validation error.
"""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from contracts.base import CaseId, StaffId
from contracts.personal import PersonalText
from contracts.values import Complainant, ComplainedAbout
from contracts.vocabulary import (
    AdmissibilityGround,
    Category,
    Channel,
    ConversationResult,
    DeadlineKind,
    EscalationReason,
    EscalationStep,
    ExternalBody,
    HearingForm,
    HearingParty,
    Judge,
    Outcome,
    ReferralReason,
    Resolution,
    Role,
    SuspensionReason,
)
from klachtspoor.http.bodies import JsonBool, JsonDate, JsonInt, JsonMoment
from klachtspoor.mailaddress import single_address


class CommandRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)


class RecordFirstContactRequest(CommandRequest):
    channel: Channel
    note: PersonalText | None = None


class RecordInformalConversationRequest(CommandRequest):
    step: EscalationStep
    held_on: JsonDate
    result: ConversationResult
    with_staff_id: StaffId | None = None
    confidant_present: JsonBool = False
    notes: PersonalText | None = None


class EscalateRequest(CommandRequest):
    to_step: EscalationStep
    reason: EscalationReason
    explanation: PersonalText | None = None


class FileComplaintRequest(CommandRequest):
    """A complaint on this open case; it follows the case's pinned policy, so no policy is named here."""

    filed_with: EscalationStep
    channel: Channel
    received_on: JsonDate
    written: JsonBool
    complainant: Complainant | None = None
    about: ComplainedAbout | None = None
    description: PersonalText
    desired_outcome: PersonalText | None = None
    conduct_on: JsonDate | None = None
    categories: tuple[Category, ...] = ()
    client_deceased: JsonBool = Field(
        default=False, description="Declared: the client died (only then may a surviving relative complain)"
    )

    @field_validator("complainant")
    @classmethod
    def _one_address(cls, complainant: Complainant | None) -> Complainant | None:
        """As at intake: a complainant's e-mail address is exactly one address, or the mail relays."""
        if complainant is not None and complainant.email is not None:
            single_address(complainant.email)
        return complainant


class DecideAdmissibilityRequest(CommandRequest):
    admissible: JsonBool
    ground: AdmissibilityGround | None = None
    explanation: PersonalText | None = None
    may_turn_to: ExternalBody | None = None


class AssignComplaintsOfficerRequest(CommandRequest):
    officer_id: StaffId


class StartMediationRequest(CommandRequest):
    mediator_role: Role
    mediator_id: StaffId


class ConcludeMediationRequest(CommandRequest):
    result: ConversationResult
    agreement: PersonalText | None = None


class RequestJudgementRequest(CommandRequest):
    judge: Judge
    requested_on: JsonDate
    written: JsonBool


class ScheduleHearingRequest(CommandRequest):
    hearing_id: UUID
    scheduled_for: JsonMoment
    form: HearingForm


class RecordHearingRequest(CommandRequest):
    hearing_id: UUID
    form: HearingForm
    parties_heard: tuple[HearingParty, ...] = Field(min_length=1)
    declined_to_be_heard: tuple[HearingParty, ...] = Field(
        default=(), description="Parties invited who refused to be heard, on record"
    )
    members_present: JsonInt = Field(ge=1, le=50)
    chair_independent: JsonBool
    minutes: PersonalText | None = None


class GiveJudgementRequest(CommandRequest):
    judge: Judge
    outcome: Outcome
    reasoning: PersonalText
    recommendations: tuple[PersonalText, ...] = ()
    given_on: JsonDate


class AnnounceMeasuresRequest(CommandRequest):
    measures_taken: JsonBool
    measures: tuple[PersonalText, ...] = ()
    implementation_due_on: JsonDate | None = None
    explanation: PersonalText | None = None


class ReferExternallyRequest(CommandRequest):
    body: ExternalBody
    reason: ReferralReason
    explanation: PersonalText | None = None


class ExtendTermRequest(CommandRequest):
    deadline: DeadlineKind
    new_due_on: JsonDate
    reason: PersonalText
    consent_id: UUID | None = None


class SuspendTermRequest(CommandRequest):
    deadline: DeadlineKind
    reason: SuspensionReason
    explanation: PersonalText | None = None


class ResumeTermRequest(CommandRequest):
    deadline: DeadlineKind


class WithdrawRequest(CommandRequest):
    reason: PersonalText | None = None


class ReopenRequest(CommandRequest):
    reason: PersonalText


class LinkAsDuplicateRequest(CommandRequest):
    original_case_id: CaseId


class CloseRequest(CommandRequest):
    resolution: Resolution
    outcome: Outcome | None = None
    summary: PersonalText | None = None
