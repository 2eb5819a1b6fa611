"""Intake: how a case starts and gets its administrative footing."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Self

from pydantic import Field, model_validator

from contracts import invariants
from contracts.base import Event
from contracts.personal import PersonalText
from contracts.values import Complainant, ComplainedAbout
from contracts.vocabulary import Category, Channel, EscalationStep, Role

Categories = tuple[Category, ...]


class SignalReceived(Event):
    """A spoken or written expression of dissatisfaction was received; it opens the case."""

    event_type: ClassVar[str] = "SignalReceived"
    schema_version: ClassVar[int] = 1

    channel: Channel
    received_on: date
    raised_with: EscalationStep = EscalationStep.CARE_WORKER
    anonymous: bool = False
    complainant: Complainant
    about: ComplainedAbout | None = None
    description: PersonalText
    categories: Categories = ()

    @model_validator(mode="after")
    def _anonymous_has_no_identity(self) -> Self:
        invariants.anonymous_has_no_identity(self.anonymous, self.complainant)
        return self


class ComplaintFiled(Event):
    """A complaint was filed: talking did not help, or the complainant went straight to a formal step.

    v1 had one optional ``category``; v2 has ``categories`` (analyses count every category a complaint
    touches).
    """

    event_type: ClassVar[str] = "ComplaintFiled"
    schema_version: ClassVar[int] = 2

    filed_with: EscalationStep
    channel: Channel
    received_on: date
    written: bool
    complainant: Complainant | None = Field(
        default=None, description="None when the complainant is the one of the signal that opened the case"
    )
    about: ComplainedAbout | None = None
    description: PersonalText
    desired_outcome: PersonalText | None = None
    conduct_on: date | None = Field(default=None, description="When the conduct complained about took place")
    categories: Categories = ()
    client_deceased: bool = Field(
        default=False,
        description="Declared by the complainant: the client (or the parent concerned) has died; a surviving "
        "relative may complain only then",
    )

    @staticmethod
    def upcast_v1_v2(data: dict[str, Any]) -> dict[str, Any]:
        """``category: str | None`` became ``categories: list[str]``."""
        upcast = {k: v for k, v in data.items() if k != "category"}
        category = data.get("category")
        upcast["categories"] = [] if category is None else [category]
        return upcast


class CaseReferenceAssigned(Event):
    """The case got its human-readable reference (shown in letters, never personal)."""

    event_type: ClassVar[str] = "CaseReferenceAssigned"
    schema_version: ClassVar[int] = 1

    reference: str = Field(pattern=r"^[A-Z0-9][A-Z0-9-]{2,39}$")


class ProcedurePolicyPinned(Event):
    """The case follows this version of the organisation's procedure policy for its whole life."""

    event_type: ClassVar[str] = "ProcedurePolicyPinned"
    schema_version: ClassVar[int] = 1

    policy_id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")
    policy_version: int = Field(ge=1)


class FirstContactMade(Event):
    """The handling step (e.g. the committee, within 2 working days) contacted the complainant."""

    event_type: ClassVar[str] = "FirstContactMade"
    schema_version: ClassVar[int] = 1

    by_role: Role
    channel: Channel
    note: PersonalText | None = None
