"""Commands that open a case or set its administrative footing."""

from __future__ import annotations

from datetime import date
from typing import Self
from uuid import UUID

from pydantic import Field, model_validator

from contracts import invariants
from contracts.base import Command
from contracts.personal import PersonalText
from contracts.values import Complainant, ComplainedAbout
from contracts.vocabulary import Category, Channel, EscalationStep, NotificationChannel

POLICY_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"


class SubmitSignal(Command):
    """Open a case with a signal. The handler looks up the tenant's current policy and passes it in."""

    channel: Channel
    received_on: date
    raised_with: EscalationStep = EscalationStep.CARE_WORKER
    anonymous: bool = False
    complainant: Complainant
    about: ComplainedAbout | None = None
    description: PersonalText
    categories: tuple[Category, ...] = ()
    policy_id: str = Field(pattern=POLICY_ID_PATTERN)
    policy_version: int = Field(ge=1)

    @model_validator(mode="after")
    def _anonymous_has_no_identity(self) -> Self:
        invariants.anonymous_has_no_identity(self.anonymous, self.complainant)
        return self


class FileComplaint(Command):
    """File a complaint on an open case, or as a new case (then give ``complainant`` and the policy)."""

    filed_with: EscalationStep
    channel: Channel
    received_on: date
    written: bool
    complainant: Complainant | None = None
    about: ComplainedAbout | None = None
    description: PersonalText
    desired_outcome: PersonalText | None = None
    conduct_on: date | None = None
    categories: tuple[Category, ...] = ()
    client_deceased: bool = Field(
        default=False, description="Declared: the client died (only then may a surviving relative complain)"
    )
    policy_id: str | None = Field(default=None, pattern=POLICY_ID_PATTERN)
    policy_version: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _policy_complete(self) -> Self:
        if (self.policy_id is None) != (self.policy_version is None):
            raise ValueError("give both policy_id and policy_version, or neither")
        return self


class AssignCaseReference(Command):
    reference: str = Field(pattern=r"^[A-Z0-9][A-Z0-9-]{2,39}$")


class RecordAcknowledgement(Command):
    channel: NotificationChannel
    notification_id: UUID | None = None


class RecordFirstContact(Command):
    channel: Channel
    note: PersonalText | None = None


class CategoriseCase(Command):
    categories: tuple[Category, ...] = Field(min_length=1)
