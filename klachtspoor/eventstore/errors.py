"""Port errors. Adapters translate driver errors into these; messages name the values involved."""

from __future__ import annotations

from uuid import UUID


class EventStoreError(Exception):
    """Base of every error the event store port raises."""


class WrongExpectedVersion(EventStoreError):
    """The stream is not at the version the writer expected; nothing was written."""

    def __init__(self, stream: str, expected: object, actual: int | None) -> None:
        self.stream, self.expected, self.actual = stream, expected, actual
        shown = "no stream" if actual is None else str(actual)
        super().__init__(f"Wrong expected version: {expected} (Stream: {stream}, Stream Version: {shown})")


class DuplicateEventId(EventStoreError):
    """An event id is already recorded elsewhere, so this append is not an idempotent retry."""

    def __init__(self, event_id: UUID, stream: str, existing_stream: str | None = None) -> None:
        self.event_id, self.stream, self.existing_stream = event_id, stream, existing_stream
        where = f" (already in stream {existing_stream})" if existing_stream else ""
        super().__init__(f"Duplicate event id {event_id} appending to {stream}{where}")


class PayloadTooLarge(EventStoreError):
    def __init__(self, event_id: UUID, event_type: str, size: int, limit: int) -> None:
        self.event_id, self.size, self.limit = event_id, size, limit
        super().__init__(f"Event {event_id} ({event_type}) is {size} bytes, over the limit of {limit} bytes")


class InvalidStreamName(EventStoreError):
    def __init__(self, stream: str, reason: str) -> None:
        self.stream = stream
        super().__init__(f"Invalid stream name {stream!r}: {reason}")


class InvalidAppend(EventStoreError):
    """The append request itself is malformed (empty batch, repeated ids, bad tenant)."""


class StoreUnavailable(EventStoreError):
    """The store could not be reached or the connection closed; the operation may be retried."""
