"""The public way in's request and answer (docs/public.md): a complaint without an account.

Every field is bounded, and the person's own fields reuse intake's request types (a name of one line and
at most 200 characters, exactly one e-mail address, …), so the public way in refuses what the staff API
refuses, with the same field names. ``website`` is the honeypot: no person sees it (the form hides it), a
bot that fills every field fills it too. Validation errors never carry the submitted value.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from contracts.personal import PersonalData
from contracts.policy import StepOrder
from contracts.vocabulary import AgeBand, Category, ComplainantCapacity, EscalationStep
from klachtspoor.http.bodies import JsonBool
from services.intake.entrypoints.schemas import RequestAddress, RequestName, RequestPhone

DESCRIPTION_MAX_LENGTH = 10_000
"""What a person writes on the form: room for a long story, not for a document dump."""

PublicDescription = Annotated[
    str,
    PersonalData(),
    Field(min_length=1, max_length=DESCRIPTION_MAX_LENGTH, description="What happened, at most 10,000"),
]


class PublicComplaintRequest(BaseModel):
    """A complaint as a person files it without an account: named (with a way to reach them) or not."""

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    capacity: ComplainantCapacity = Field(description="Who files: the client, or someone for the client")
    client_age_band: AgeBand | None = Field(default=None, description="The client's age (under 12 …)")
    client_deceased: JsonBool = Field(
        default=False, description="Declared: the client has died (a surviving relative files only then)"
    )
    written_authorisation: JsonBool = Field(
        default=False, description="Declared: the client authorised this person in writing"
    )
    raised_with: EscalationStep = Field(description="The step of the ladder the person raises it with")
    description: PublicDescription
    categories: tuple[Category, ...] = Field(default=(), max_length=len(Category))
    anonymous: JsonBool = Field(default=False, description="No name and no way to reach the person")
    name: RequestName | None = None
    email: RequestAddress | None = None
    phone: RequestPhone | None = None
    website: str = Field(
        default="", max_length=200, description="Leave empty (a field for bots only: filled, it is refused)"
    )


class PublicComplaintFiled(BaseModel):
    """The receipt: the case's reference and the secret that opens the dossier, shown only this once."""

    model_config = ConfigDict(frozen=True)

    reference: str = Field(examples=["KS-2026-000123"])
    secret: str = Field(
        examples=["K7QM-2XPA-9D3F-WZ0B-TN5E"], description="Shown once; stored only as a hash"
    )
    dossier: str = Field(description="Where the dossier opens with the reference and the secret")


class PublicStep(BaseModel):
    model_config = ConfigDict(frozen=True)

    step: EscalationStep
    label: str = Field(description="How the procedure names the step, in Dutch")
    may_start: bool = Field(description="A new complaint may be raised with this step (raised_with)")


class PublicFormFacts(BaseModel):
    """What the form explains, from the organisation's policy: who may complain and at which steps."""

    model_config = ConfigDict(frozen=True)

    organisation: str
    complainants: tuple[ComplainantCapacity, ...] = Field(description="The capacities the policy admits")
    child_min_age_alone: int | None = Field(
        description="From this age a client complains alone; younger through a parent or guardian"
    )
    order: StepOrder | None = Field(description="one_by_one: lowest step first; client_chooses: any step")
    ladder: tuple[PublicStep, ...]
    declarations: dict[str, str] = Field(
        description="Which capacity must declare what: the field to set true, per capacity"
    )
