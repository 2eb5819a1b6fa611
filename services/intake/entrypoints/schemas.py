"""The request and response bodies of the intake API.

The request reuses the contracts' value types (``Complainant``, ``ComplainedAbout``, the vocabularies,
``PersonalText``) and the invariant ``SignalReceived`` checks, so every rule lives once and a bad request
is refused with the same message the event would give, naming the field (``body.complainant.email``).

On top of the contracts, the request is stricter where a value leaves the system or is shown to people:
the e-mail address must be exactly one address (:mod:`klachtspoor.mailaddress`), names are one line
of at most 200 characters (they become a mail's display name), a phone number one line of at most 40,
a postal address at most 500 characters. Validation errors never carry the
submitted value (``hide_input_in_errors``): only the field and the rule reach a log or a response.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from contracts import invariants
from contracts.personal import PersonalData, PersonalText
from contracts.values import Complainant, ComplainedAbout
from contracts.vocabulary import Category, Channel, EscalationStep, NotificationChannel
from klachtspoor.http.bodies import JsonBool, JsonDate
from klachtspoor.mailaddress import MAX_ADDRESS_LENGTH, single_address

NAME_MAX_LENGTH = 200
_ONE_LINE = r"^[^\x00-\x1f\x7f]+$"

RequestName = Annotated[
    str,
    PersonalData(),
    Field(min_length=1, max_length=NAME_MAX_LENGTH, pattern=_ONE_LINE, description="One line, at most 200"),
]
"""A name as submitted: one line (no control characters), at most 200 characters."""
RequestPhone = Annotated[
    str,
    PersonalData(),
    Field(min_length=1, max_length=40, pattern=_ONE_LINE, description="One line, at most 40"),
]
"""A phone number as submitted: one line of at most 40 characters (room for a country code and spaces)."""
RequestPostalAddress = Annotated[
    str, PersonalData(), Field(min_length=1, max_length=500, description="At most 500 characters")
]
"""A postal address as submitted: a few lines, at most 500 characters."""
RequestAddress = Annotated[
    str,
    PersonalData(),
    Field(min_length=3, max_length=MAX_ADDRESS_LENGTH, description="Exactly one address: name@domain"),
    AfterValidator(single_address),
]
"""Exactly one e-mail address, normalised; a list, a display name or a line break is refused."""


class ComplainantRequest(Complainant):
    """:class:`~contracts.values.Complainant` with the intake checks on its name and e-mail address."""

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    name: RequestName | None = None
    email: RequestAddress | None = None
    phone: RequestPhone | None = None
    postal_address: RequestPostalAddress | None = None

    def as_contract(self) -> Complainant:
        return Complainant.model_validate(self.model_dump())


class ComplainedAboutRequest(ComplainedAbout):
    """:class:`~contracts.values.ComplainedAbout` with a one-line, bounded name."""

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    name: RequestName | None = None

    def as_contract(self) -> ComplainedAbout:
        return ComplainedAbout.model_validate(self.model_dump())


class SignalRequest(BaseModel):
    """A signal of dissatisfaction, as a complainant or a member of staff submits it."""

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    channel: Channel = Field(description="How the signal came in (web_form when the complainant submits it)")
    complainant: ComplainantRequest = Field(
        description="Who complains and in what capacity; contact details and the contact preference "
        "(complainant.preferred_channel). All identifying fields are optional and personal."
    )
    about: ComplainedAboutRequest | None = Field(
        default=None, description="Whom the dissatisfaction is about"
    )
    raised_with: EscalationStep = Field(
        default=EscalationStep.CARE_WORKER, description="The step the signal was raised with"
    )
    categories: tuple[Category, ...] = Field(default=(), max_length=len(Category))
    description: PersonalText
    anonymous: JsonBool = Field(default=False, description="Anonymous: no name, e-mail, phone or address")
    received_on: JsonDate | None = Field(
        default=None, description="Day of receipt when taken in earlier (default: today, Dutch time)"
    )

    @field_validator("complainant")
    @classmethod
    def _reachable_as_preferred(cls, complainant: ComplainantRequest) -> ComplainantRequest:
        preferred = complainant.preferred_channel
        if preferred is NotificationChannel.EMAIL and complainant.email is None:
            raise ValueError("preferred_channel is email but email is missing")
        if preferred is NotificationChannel.LETTER and complainant.postal_address is None:
            raise ValueError("preferred_channel is letter but postal_address is missing")
        if preferred is NotificationChannel.DOSSIER:
            raise ValueError("preferred_channel dossier is not a choice: the dossier is the fallback")
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
        if isinstance(complainant, ComplainantRequest):
            invariants.anonymous_has_no_identity(anonymous, complainant.as_contract())
        return anonymous


class CaseCreated(BaseModel):
    model_config = ConfigDict(frozen=True, hide_input_in_errors=True)

    case_id: UUID
    reference: str = Field(examples=["KS-2026-000123"])
