"""What the relay publishes for one event: subject, headers and a JSON body.

Subjects and headers carry only the tenant, the event type, the event id and the trace context: never
personal data. The body is the event's envelope plus its data exactly as stored, so fields the contracts
mark as personal stay encrypted on the bus.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from klachtspoor.eventstore.port import RecordedEvent
from klachtspoor.telemetry import traceparent_from_metadata

SUBJECT_ROOT = "klachtspoor"

_TOKEN_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
_TRACEPARENT = re.compile(r"[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")


class RelayedEvent(BaseModel):
    """The message body on ``klachtspoor.<tenant>.<EventType>``; consumers parse it with this model."""

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    event_id: UUID
    type: str
    schema_version: int
    tenant: str
    stream: str
    version: int
    position: str
    """The global-log position as ``commit/sequence`` (``Position.parse`` reads it back)."""
    metadata: dict[str, Any]
    recorded_at: datetime
    data: dict[str, Any]

    @classmethod
    def of(cls, event: RecordedEvent) -> RelayedEvent:
        return cls(
            event_id=event.event_id,
            type=event.type,
            schema_version=event.schema_version,
            tenant=event.tenant,
            stream=event.stream,
            version=event.version,
            position=str(event.position),
            metadata=dict(event.metadata),
            recorded_at=event.recorded_at,
            data=dict(event.data),
        )


def subject_for(event: RecordedEvent) -> str:
    """``klachtspoor.<tenant>.<EventType>``; characters a NATS token cannot hold become ``_``."""
    return f"{SUBJECT_ROOT}.{_token(event.tenant)}.{_token(event.type)}"


def tenant_subjects(tenant: str) -> str:
    """The wildcard subject of every event of one tenant, for consumers' filters."""
    return f"{SUBJECT_ROOT}.{_token(tenant)}.>"


def headers_for(event: RecordedEvent, traceparent: str | None = None) -> dict[str, str]:
    """``Nats-Msg-Id`` makes JetStream drop a republished event; ``traceparent`` continues the trace
    (the relay's own span when it made one, else the one the event was written in)."""
    headers = {"Nats-Msg-Id": str(event.event_id)}
    traceparent = traceparent or traceparent_from_metadata(event.metadata)
    if traceparent is not None and _TRACEPARENT.fullmatch(traceparent):
        headers["traceparent"] = traceparent
    return headers


def _token(text: str) -> str:
    return _TOKEN_UNSAFE.sub("_", text) or "_"
