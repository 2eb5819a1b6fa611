"""The envelope: one model around every event, with the metadata that travels with it.

Only the typed payload (``event``) can hold personal data, and only in its marked fields; everything
else here (ids, tenant, stream, actor id and role, times, trace context) is safe to log, index and
publish. The envelope is serialised with ``type`` and ``schema_version`` next to the payload; reading
one back upcasts an older payload through the registry, so a validated envelope always carries the
current version of its event.
"""

from __future__ import annotations

from datetime import datetime
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Annotated, Any, Self
from uuid import UUID

from pydantic import AwareDatetime, Discriminator, Field, Tag, model_validator

from contracts.base import Actor, CaseId, ContractModel, Event, TenantSlug
from contracts.events import EVENT_CLASSES, AnyEvent
from contracts.registry import current_version, parse_event

STREAM_PATTERN = r"^[a-z][a-z0-9_]{0,40}:[a-z0-9][a-z0-9-]{0,62}:[A-Za-z0-9_-]{1,100}$"
TRACEPARENT_PATTERN = r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"


def _event_tag(value: Any) -> str | None:
    return value.event_type if isinstance(value, Event) else None


if TYPE_CHECKING:
    Payload = AnyEvent
else:
    Payload = Annotated[
        reduce(or_, [Annotated[cls, Tag(cls.event_type)] for cls in EVENT_CLASSES]),
        Discriminator(_event_tag),
    ]


class Envelope(ContractModel):
    """An event with its metadata, as appended, stored, relayed and read."""

    event_id: UUID
    type: str
    schema_version: int = Field(ge=1)
    tenant: TenantSlug
    stream: str = Field(pattern=STREAM_PATTERN, description="category:tenant:id, never personal data")
    case_id: CaseId
    correlation_id: UUID
    causation_id: UUID | None = None
    traceparent: str | None = Field(
        default=None, pattern=TRACEPARENT_PATTERN, description="W3C trace context"
    )
    actor: Actor
    occurred_at: AwareDatetime
    recorded_at: AwareDatetime | None = Field(default=None, description="Set by the store when recorded")
    event: Payload

    @model_validator(mode="before")
    @classmethod
    def _parse_payload(cls, data: Any) -> Any:
        """A stored payload (a dict) is upcast and typed through the registry before validation."""
        if isinstance(data, dict) and isinstance(data.get("event"), dict):
            type_name, version = data.get("type"), data.get("schema_version")
            if isinstance(type_name, str) and isinstance(version, int):
                data = {**data, "event": parse_event(type_name, version, data["event"])}
                data["schema_version"] = current_version(type_name)
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.type != self.event.event_type or self.schema_version != self.event.schema_version:
            raise ValueError(
                f"envelope says {self.type} v{self.schema_version}, "
                f"payload is {self.event.event_type} v{self.event.schema_version}"
            )
        stream_tenant = self.stream.split(":")[1]
        if stream_tenant != self.tenant:
            raise ValueError(
                f"stream {self.stream} belongs to tenant {stream_tenant}, envelope to {self.tenant}"
            )
        return self

    @classmethod
    def wrap(
        cls,
        event: AnyEvent,
        *,
        event_id: UUID,
        tenant: str,
        stream: str,
        case_id: CaseId,
        actor: Actor,
        occurred_at: datetime,
        correlation_id: UUID,
        causation_id: UUID | None = None,
        traceparent: str | None = None,
    ) -> Envelope:
        """An envelope around ``event``, with ``type`` and ``schema_version`` taken from it."""
        return cls(
            event_id=event_id,
            type=event.event_type,
            schema_version=event.schema_version,
            tenant=tenant,
            stream=stream,
            case_id=case_id,
            correlation_id=correlation_id,
            causation_id=causation_id,
            traceparent=traceparent,
            actor=actor,
            occurred_at=occurred_at,
            event=event,
        )
