"""What the projection reads of a stored event: its metadata and a typed payload without personal data.

The payload is a contracts event whose personal fields hold their masks (the read side never decrypts),
or :class:`OtherEvent` for a type this version does not know: such an event still appears in the
timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypeAlias
from uuid import UUID

from contracts.base import Actor
from contracts.events import AnyEvent


@dataclass(frozen=True, slots=True)
class OtherEvent:
    """An event type the read side does not know: it moves nothing but the case's last event time."""

    type: str


Payload: TypeAlias = AnyEvent | OtherEvent


@dataclass(frozen=True, slots=True)
class CaseEvent:
    event_id: UUID
    tenant: str
    case_id: UUID
    stream: str
    version: int
    """The event's place in its case stream, 0-based."""
    type: str
    actor: Actor
    occurred_at: datetime
    recorded_at: datetime
    payload: Payload


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    tenant: str
    case_id: UUID
    version: int
    event_id: UUID
    type: str
    actor: Actor
    occurred_at: datetime
    recorded_at: datetime


def timeline_entry(event: CaseEvent) -> TimelineEntry:
    """The timeline row of an event: type, actor, times. The payload stays out on purpose."""
    return TimelineEntry(
        tenant=event.tenant,
        case_id=event.case_id,
        version=event.version,
        event_id=event.event_id,
        type=event.type,
        actor=event.actor,
        occurred_at=event.occurred_at,
        recorded_at=event.recorded_at,
    )
