"""The relay from the global log to NATS JetStream, on subjects ``klachtspoor.<tenant>.<Type>``."""

from klachtspoor.relay.message import RelayedEvent, headers_for, subject_for, tenant_subjects
from klachtspoor.relay.relay import Relay
from klachtspoor.relay.stream import (
    DUPLICATE_WINDOW,
    STREAM_NAME,
    STREAM_SUBJECTS,
    StreamLimits,
    ensure_stream,
    stream_config,
)

__all__ = [
    "DUPLICATE_WINDOW",
    "STREAM_NAME",
    "STREAM_SUBJECTS",
    "Relay",
    "RelayedEvent",
    "StreamLimits",
    "ensure_stream",
    "headers_for",
    "stream_config",
    "subject_for",
    "tenant_subjects",
]
