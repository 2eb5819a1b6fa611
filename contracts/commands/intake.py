"""Commands that open a case or set its administrative footing."""

from __future__ import annotations

from datetime import date
from typing import Self

from pydantic import Field, model_validator

from contracts.base import Command
from contracts.personal import PersonalText
from contracts.values import Complainant, ComplainedAbout
from contracts.vocabulary import Category, Channel, EscalationStep

POLICY_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"


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


class RecordFirstContact(Command):
    channel: Channel
    note: PersonalText | None = None
