"""The letters and mails of the case: what was asked for, to whom, on which channel, and how delivery went.

The events carry no letter text (notify renders it from its templates when it sends), so the file shows
each letter's kind, recipient, channel, status and times. A failure's recorded error (an SMTP reply code
and an exception type) is not shown: it is delivery detail, not case content.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from contracts.envelope import Envelope
from contracts.events import NotificationFailed, NotificationParked, NotificationRequested, NotificationSent
from contracts.vocabulary import NotificationChannel, NotificationKind, Recipient
from services.escalation.domain.casefile import table
from services.escalation.domain.casefile.reader import Frozen, Reader, Shown


class LetterStatus(StrEnum):
    REQUESTED = "requested"
    SENT = "sent"
    FAILED = "failed"
    """The last attempt failed and another is scheduled."""
    PARKED = "parked"
    """Retries are exhausted or the failure is permanent: a person must look at it."""


class LetterView(Frozen):
    notification_id: UUID
    kind: NotificationKind
    recipient: Recipient
    channel: NotificationChannel
    status: LetterStatus
    requested_at: datetime
    attempts: int = 0
    sent_at: datetime | None = None
    last_failed_at: datetime | None = None
    next_attempt_at: datetime | None = None
    parked_at: datetime | None = None


def letters_view(
    envelopes: Sequence[Envelope], reader: Reader, shown: Shown
) -> tuple[LetterView, ...] | None:
    if not reader.may(table.LETTERS):
        return None
    shown.add(table.LETTERS)
    letters: dict[UUID, LetterView] = {}
    for envelope in envelopes:
        event, at = envelope.event, envelope.occurred_at
        match event:
            case NotificationRequested():
                letters.setdefault(
                    event.notification_id,
                    LetterView(
                        notification_id=event.notification_id,
                        kind=event.kind,
                        recipient=event.recipient,
                        channel=event.channel,
                        status=LetterStatus.REQUESTED,
                        requested_at=at,
                    ),
                )
            case NotificationSent() if event.notification_id in letters:
                letters[event.notification_id] = letters[event.notification_id].model_copy(
                    update={"status": LetterStatus.SENT, "sent_at": at, "attempts": event.attempt}
                )
            case NotificationFailed() if event.notification_id in letters:
                letters[event.notification_id] = letters[event.notification_id].model_copy(
                    update={
                        "status": LetterStatus.FAILED,
                        "last_failed_at": at,
                        "attempts": event.attempt,
                        "next_attempt_at": event.next_attempt_at,
                    }
                )
            case NotificationParked() if event.notification_id in letters:
                letters[event.notification_id] = letters[event.notification_id].model_copy(
                    update={"status": LetterStatus.PARKED, "parked_at": at, "attempts": event.attempts}
                )
            case _:
                pass
    return tuple(letters.values())
