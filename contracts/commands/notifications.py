"""Commands of the notification life cycle."""

from __future__ import annotations

from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.base import Command
from contracts.personal import PersonalText
from contracts.vocabulary import NotificationChannel


class RecordNotificationSent(Command):
    notification_id: UUID
    channel: NotificationChannel
    attempt: int = Field(ge=1)
    message_id: str | None = Field(default=None, max_length=500)


class RecordNotificationFailure(Command):
    notification_id: UUID
    attempt: int = Field(ge=1)
    error: PersonalText
    next_attempt_at: AwareDatetime | None


class ParkNotification(Command):
    notification_id: UUID
    attempts: int = Field(ge=1)
    reason: PersonalText


class RecordNotificationBounce(Command):
    """A delivery status notification reported the sent mail failed (``status``: the DSN's 5.x.x code)."""

    notification_id: UUID
    status: str = Field(pattern=r"^5\.\d{1,3}\.\d{1,3}$")


class RetryNotification(Command):
    """Try a parked notification again (an operator, from the command line)."""

    notification_id: UUID
