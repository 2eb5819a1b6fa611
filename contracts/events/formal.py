"""The formal route: admissibility, the director's or committee's judgement, measures, referral."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Self
from uuid import UUID

from pydantic import AwareDatetime, Field, model_validator

from contracts import invariants
from contracts.base import Event
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


class AdmissibilityDecided(Event):
    """The complaint will be handled, or not (with the ground, told in writing within 4 weeks)."""

    event_type: ClassVar[str] = "AdmissibilityDecided"
    schema_version: ClassVar[int] = 1

    admissible: bool
    ground: AdmissibilityGround | None = None
    explanation: PersonalText | None = None
    may_turn_to: ExternalBody | None = Field(
        default=None, description="The body the complainant can go to instead (Awb: the ombudsman)"
    )

    @model_validator(mode="after")
    def _ground_iff_inadmissible(self) -> Self:
        invariants.ground_iff_inadmissible(self.admissible, self.ground)
        return self


class JudgementRequested(Event):
    """The complainant asked the director or the committee for a formal judgement."""

    event_type: ClassVar[str] = "JudgementRequested"
    schema_version: ClassVar[int] = 1

    judge: Judge
    requested_on: date
    written: bool


class CommitteeHearingScheduled(Event):
    """The committee set a hearing; both sides are invited, orally or in writing."""

    event_type: ClassVar[str] = "CommitteeHearingScheduled"
    schema_version: ClassVar[int] = 1

    hearing_id: UUID
    scheduled_for: AwareDatetime
    form: HearingForm


class CommitteeHearingHeld(Event):
    """The committee heard the parties (the person complained about takes no part in the committee).

    v2 added ``declined_to_be_heard``: the parties invited who refused to be heard (empty before).
    """

    event_type: ClassVar[str] = "CommitteeHearingHeld"
    schema_version: ClassVar[int] = 2

    hearing_id: UUID
    form: HearingForm
    parties_heard: tuple[HearingParty, ...] = Field(min_length=1)
    declined_to_be_heard: tuple[HearingParty, ...] = ()
    members_present: int = Field(ge=1, le=50)
    chair_independent: bool
    minutes: PersonalText | None = None

    @model_validator(mode="after")
    def _heard_or_declined(self) -> Self:
        invariants.heard_or_declined(self.parties_heard, self.declined_to_be_heard)
        return self

    @staticmethod
    def upcast_v1_v2(data: dict[str, Any]) -> dict[str, Any]:
        """v1 recorded only who was heard: nobody refused on record."""
        return {**data, "declined_to_be_heard": []}


class JudgementGiven(Event):
    """A written, reasoned judgement: upheld, partly upheld or rejected, with recommendations.

    v1 named the outcome ``decision``; v2 renamed it ``outcome``; v3 turned the single optional
    ``recommendation`` into the list ``recommendations``.
    """

    event_type: ClassVar[str] = "JudgementGiven"
    schema_version: ClassVar[int] = 3

    judge: Judge
    outcome: Outcome
    reasoning: PersonalText
    recommendations: tuple[PersonalText, ...] = ()
    given_on: date

    @staticmethod
    def upcast_v1_v2(data: dict[str, Any]) -> dict[str, Any]:
        """``decision`` was renamed ``outcome``."""
        upcast = {k: v for k, v in data.items() if k != "decision"}
        if "decision" in data:
            upcast["outcome"] = data["decision"]
        return upcast

    @staticmethod
    def upcast_v2_v3(data: dict[str, Any]) -> dict[str, Any]:
        """``recommendation: str | None`` became ``recommendations: list[str]``."""
        upcast = {k: v for k, v in data.items() if k != "recommendation"}
        recommendation = data.get("recommendation")
        upcast["recommendations"] = [] if recommendation is None else [recommendation]
        return upcast


class MeasuresAnnounced(Event):
    """The provider said whether it takes measures, which, and by when they are carried out."""

    event_type: ClassVar[str] = "MeasuresAnnounced"
    schema_version: ClassVar[int] = 1

    measures_taken: bool
    measures: tuple[PersonalText, ...] = ()
    implementation_due_on: date | None = None
    explanation: PersonalText | None = None

    @model_validator(mode="after")
    def _measures_iff_taken(self) -> Self:
        invariants.measures_iff_taken(self.measures_taken, self.measures, self.implementation_due_on)
        return self


class ReferredExternally(Event):
    """The complainant was referred to (or went to) a body outside the organisation."""

    event_type: ClassVar[str] = "ReferredExternally"
    schema_version: ClassVar[int] = 1

    body: ExternalBody
    reason: ReferralReason
    explanation: PersonalText | None = None
