"""Safety overrides confidentiality: danger is routed at once and every override is recorded."""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from contracts.base import Event
from contracts.personal import PersonalText
from contracts.vocabulary import CrisisRoute, DisclosureRecipient, LiftGround


class SafetyConcernRaised(Event):
    """Someone is or may be in danger; the crisis route says where it was sent (112, Veilig Thuis, …)."""

    event_type: ClassVar[str] = "SafetyConcernRaised"
    schema_version: ClassVar[int] = 1

    concern_id: UUID
    crisis_route: CrisisRoute
    immediate_danger: bool
    description: PersonalText


class ConfidentialityLifted(Event):
    """What the client told in confidence was shared because of danger, with the justification."""

    event_type: ClassVar[str] = "ConfidentialityLifted"
    schema_version: ClassVar[int] = 1

    ground: LiftGround
    disclosed_to: DisclosureRecipient
    discussed_with_client: bool
    justification: PersonalText
    concern_id: UUID | None = None
