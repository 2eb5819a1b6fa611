"""The request and response bodies of the intake API.

The request reuses the contracts' value types (``Complainant``, ``ComplainedAbout``, the vocabularies,
``PersonalText``) and the invariant ``SignalReceived`` checks, so every rule lives once and a bad request
is refused with the same message the event would give, naming the field (``body.complainant.email``).
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from contracts import invariants
from contracts.personal import PersonalText
from contracts.values import Complainant, ComplainedAbout
from contracts.vocabulary import Category, Channel, EscalationStep, NotificationChannel


class SignalRequest(BaseModel):
    """A signal of dissatisfaction, as a complainant or a member of staff submits it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    channel: Channel = Field(description="How the signal came in (web_form when the complainant submits it)")
    complainant: Complainant = Field(
        description="Who complains and in what capacity; contact details and the contact preference "
        "(complainant.preferred_channel). All identifying fields are optional and personal."
    )
    about: ComplainedAbout | None = Field(default=None, description="Whom the dissatisfaction is about")
    raised_with: EscalationStep = Field(
        default=EscalationStep.CARE_WORKER, description="The step the signal was raised with"
    )
    categories: tuple[Category, ...] = Field(default=(), max_length=len(Category))
    description: PersonalText
    anonymous: bool = Field(default=False, description="Anonymous: no name, e-mail, phone or address")
    received_on: date | None = Field(
        default=None, description="Day of receipt when taken in earlier (default: today, Dutch time)"
    )

    @field_validator("complainant")
    @classmethod
    def _reachable_as_preferred(cls, complainant: Complainant) -> Complainant:
        preferred = complainant.preferred_channel
        if preferred is NotificationChannel.EMAIL and complainant.email is None:
            raise ValueError("preferred_channel is email but email is missing")
        if preferred is NotificationChannel.LETTER and complainant.postal_address is None:
            raise ValueError("preferred_channel is letter but postal_address is missing")
        return complainant

    @field_validator("categories")
    @classmethod
    def _distinct(cls, categories: tuple[Category, ...]) -> tuple[Category, ...]:
        if len(set(categories)) != len(categories):
            raise ValueError("a category is listed twice")
        return categories

    @field_validator("anonymous")
    @classmethod
    def _anonymous_has_no_identity(cls, anonymous: bool, info: ValidationInfo) -> bool:
        """Fields validate in order, so the complainant is known here (absent when it was invalid)."""
        complainant = info.data.get("complainant")
        if isinstance(complainant, Complainant):
            invariants.anonymous_has_no_identity(anonymous, complainant)
        return anonymous


class CaseCreated(BaseModel):
    model_config = ConfigDict(frozen=True)

    case_id: UUID
    reference: str = Field(examples=["KS-2026-000123"])
