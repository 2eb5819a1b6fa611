"""Outbound letters and mails: requested by the workflow, sent (or retried, or parked) by notify.

A bounce (a delivery status notification reporting the mail failed after the SMTP server accepted it) is
recorded as ``NotificationFailed`` of the attempt that was sent, then ``NotificationParked``; an operator's
retry of a parked notification is ``NotificationRetryRequested``.

``notification_id`` is chosen by the requester deterministically, so a redelivered request never
produces a second letter.
"""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.base import Event
from contracts.personal import PersonalText
from contracts.vocabulary import NotificationChannel, NotificationKind, Recipient


class NotificationRequested(Event):
    """A letter or mail of a kind must go to a recipient of the case."""

    event_type: ClassVar[str] = "NotificationRequested"
    schema_version: ClassVar[int] = 1

    notification_id: UUID
    kind: NotificationKind
    recipient: Recipient
    channel: NotificationChannel


class NotificationSent(Event):
    """The letter or mail was handed over (SMTP accepted it, or the letter was printed)."""

    event_type: ClassVar[str] = "NotificationSent"
    schema_version: ClassVar[int] = 1

    notification_id: UUID
    channel: NotificationChannel
    attempt: int = Field(ge=1)
    message_id: str | None = Field(
        default=None, max_length=500, description="Transport id, e.g. SMTP Message-ID"
    )


class NotificationFailed(Event):
    """An attempt failed; ``next_attempt_at`` is the retry schedule's next moment (None: no retry)."""

    event_type: ClassVar[str] = "NotificationFailed"
    schema_version: ClassVar[int] = 1

    notification_id: UUID
    attempt: int = Field(ge=1)
    error: PersonalText
    next_attempt_at: AwareDatetime | None


class NotificationParked(Event):
    """Retries are exhausted or the failure is permanent: a person must look at it."""

    event_type: ClassVar[str] = "NotificationParked"
    schema_version: ClassVar[int] = 1

    notification_id: UUID
    attempts: int = Field(ge=1)
    reason: PersonalText


class NotificationRetryRequested(Event):
    """An operator asked a parked notification to be tried again: ``attempt`` is the attempt it starts."""

    event_type: ClassVar[str] = "NotificationRetryRequested"
    schema_version: ClassVar[int] = 1

    notification_id: UUID
    attempt: int = Field(ge=1)
