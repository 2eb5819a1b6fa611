"""Stored events to :class:`CaseEvent`: metadata parsed, payload typed, personal fields masked.

The read side holds no keys: every ciphertext is replaced by its field's mask before the payload is
upcast and validated by the contracts, exactly as a reader of an erased case sees it. Nothing personal
can reach a read-model row even by mistake.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError

from contracts.base import Actor
from contracts.errors import UnknownEventType
from contracts.registry import event_class
from klachtspoor.codec import EventPlan
from klachtspoor.eventstore.jsondoc import JsonObject
from klachtspoor.eventstore.port import RecordedEvent
from services.reporting.domain.events import CaseEvent, OtherEvent, Payload


class UnreadableEvent(ValueError):
    """An event's metadata or payload does not validate; the runner parks it with this message."""


class _Metadata(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", hide_input_in_errors=True)

    case_id: UUID
    actor: Actor
    occurred_at: AwareDatetime


def to_case_event(recorded: RecordedEvent) -> CaseEvent:
    try:
        metadata = _metadata(recorded.metadata)
    except ValidationError as error:
        raise UnreadableEvent(
            f"Event {recorded.event_id} ({recorded.type}, Stream: {recorded.stream}) has invalid metadata: "
            + "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        ) from None
    return CaseEvent(
        event_id=recorded.event_id,
        tenant=recorded.tenant,
        case_id=metadata.case_id,
        stream=recorded.stream,
        version=recorded.version,
        type=recorded.type,
        actor=metadata.actor,
        occurred_at=metadata.occurred_at,
        recorded_at=recorded.recorded_at,
        payload=_payload(recorded),
    )


def _metadata(stored: Mapping[str, Any]) -> _Metadata:
    """Stored metadata validated from its JSON text when it is still text (one pass, no dict between)."""
    if isinstance(stored, JsonObject):
        return _Metadata.model_validate_json(stored.raw)
    return _Metadata.model_validate(stored)


def _payload(recorded: RecordedEvent) -> Payload:
    plan = _plan(recorded.type)
    if plan is None:
        return OtherEvent(recorded.type)
    return plan.masked_event(recorded)


@cache
def _plan(type_name: str) -> EventPlan | None:
    """What the codec knows of a type (for the masks); None for a type the contracts do not have."""
    try:
        return EventPlan.of(event_class(type_name))
    except UnknownEventType:
        return None
