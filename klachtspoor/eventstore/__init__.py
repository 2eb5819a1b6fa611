"""The event store port, its errors and its adapters (PostgreSQL, in-memory; EventStoreDB later)."""

from klachtspoor.eventstore.errors import (
    DuplicateEventId,
    EventStoreError,
    InvalidStreamName,
    PayloadTooLarge,
    StoreUnavailable,
    WrongExpectedVersion,
)
from klachtspoor.eventstore.port import (
    AppendResult,
    EventStore,
    ExpectedVersion,
    LogFilter,
    NewEvent,
    Position,
    RecordedEvent,
    StreamState,
)

__all__ = [
    "AppendResult",
    "DuplicateEventId",
    "EventStore",
    "EventStoreError",
    "ExpectedVersion",
    "InvalidStreamName",
    "LogFilter",
    "NewEvent",
    "PayloadTooLarge",
    "Position",
    "RecordedEvent",
    "StoreUnavailable",
    "StreamState",
    "WrongExpectedVersion",
]
