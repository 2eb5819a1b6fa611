"""Safety overrides confidentiality: danger is routed at once and every override is recorded."""

from __future__ import annotations

from typing import Any, ClassVar
from uuid import UUID

from pydantic import AwareDatetime

from contracts.base import Event
from contracts.personal import PersonalText
from contracts.vocabulary import CrisisRoute, DisclosureRecipient, LiftGround


class SafetyConcernRaised(Event):
    """Someone is or may be in danger; the crisis route says where it was sent (112, Veilig Thuis, …).

    v2 added ``raised_at``: the moment the concern was raised when it was given (a call logged a few
    minutes later), which the route followed; null when it was raised as it was recorded (``occurred_at``).
    """

    event_type: ClassVar[str] = "SafetyConcernRaised"
    schema_version: ClassVar[int] = 2

    concern_id: UUID
    crisis_route: CrisisRoute
    immediate_danger: bool
    description: PersonalText
    raised_at: AwareDatetime | None = None

    @staticmethod
    def upcast_v1_v2(data: dict[str, Any]) -> dict[str, Any]:
        """v1 routed by the moment of recording: no separate moment of raising."""
        return {**data, "raised_at": None}


class ConfidentialityLifted(Event):
    """What the client told in confidence was shared because of danger, with the justification."""

    event_type: ClassVar[str] = "ConfidentialityLifted"
    schema_version: ClassVar[int] = 1

    ground: LiftGround
    disclosed_to: DisclosureRecipient
    discussed_with_client: bool
    justification: PersonalText
    concern_id: UUID | None = None
