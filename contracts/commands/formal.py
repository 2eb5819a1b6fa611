"""Commands of the formal route."""

from __future__ import annotations

from datetime import date
from typing import Self
from uuid import UUID

from pydantic import AwareDatetime, Field, model_validator

from contracts import invariants
from contracts.base import Command
from contracts.personal import PersonalText
from contracts.vocabulary import (
    AdmissibilityGround,
    ExternalBody,
    HearingForm,
    HearingParty,
    Judge,
    Outcome,
    ReferralReason,
)


class DecideAdmissibility(Command):
    admissible: bool
    ground: AdmissibilityGround | None = None
    explanation: PersonalText | None = None
    may_turn_to: ExternalBody | None = None

    @model_validator(mode="after")
    def _ground_iff_inadmissible(self) -> Self:
        invariants.ground_iff_inadmissible(self.admissible, self.ground)
        return self


class RequestJudgement(Command):
    judge: Judge
    requested_on: date
    written: bool


class ScheduleHearing(Command):
    hearing_id: UUID
    scheduled_for: AwareDatetime
    form: HearingForm


class RecordHearing(Command):
    hearing_id: UUID
    form: HearingForm
    parties_heard: tuple[HearingParty, ...] = Field(min_length=1)
    declined_to_be_heard: tuple[HearingParty, ...] = Field(
        default=(),
        description="Parties invited who refused to be heard (recorded, so the judgement may follow)",
    )
    members_present: int = Field(ge=1, le=50)
    chair_independent: bool
    minutes: PersonalText | None = None

    @model_validator(mode="after")
    def _heard_or_declined(self) -> Self:
        invariants.heard_or_declined(self.parties_heard, self.declined_to_be_heard)
        return self


class GiveJudgement(Command):
    judge: Judge
    outcome: Outcome
    reasoning: PersonalText
    recommendations: tuple[PersonalText, ...] = ()
    given_on: date


class AnnounceMeasures(Command):
    measures_taken: bool
    measures: tuple[PersonalText, ...] = ()
    implementation_due_on: date | None = None
    explanation: PersonalText | None = None

    @model_validator(mode="after")
    def _measures_iff_taken(self) -> Self:
        invariants.measures_iff_taken(self.measures_taken, self.measures, self.implementation_due_on)
        return self


class ReferExternally(Command):
    body: ExternalBody
    reason: ReferralReason
    explanation: PersonalText | None = None
