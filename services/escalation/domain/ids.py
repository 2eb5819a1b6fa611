"""Ids derived from the event a reaction answers: the same cause and purpose always give the same id, so a
redelivered message produces the same events and the store treats their append as an idempotent retry."""

from __future__ import annotations

from uuid import UUID, uuid5

from contracts.events import AnyEvent, NotificationRequested, TermStarted


def derived_id(cause: UUID, purpose: str) -> UUID:
    return uuid5(cause, purpose)


def notification_id(cause: UUID, purpose: str) -> UUID:
    return derived_id(cause, f"notification:{purpose}")


def event_id(cause: UUID, event: AnyEvent) -> UUID:
    """The id of ``event`` decided in answer to ``cause``; unique per decided event."""
    match event:
        case TermStarted():
            purpose = f"{event.event_type}:{event.deadline.value}"
        case NotificationRequested():
            purpose = f"{event.event_type}:{event.notification_id}"
        case _:
            purpose = event.event_type
    return derived_id(cause, f"event:{purpose}")
