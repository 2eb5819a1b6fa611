"""The letters and mails of the case: what was asked for, to whom, on which channel, how delivery went,
and the text of each one sent.

The events carry no letter text: notify renders it from the shared templates when it sends, and the
caller renders a sent one again from the same events (:func:`klachtspoor.letters.sent.sent_letter`) and
hands the texts in, since rendering reads template files and this module does no I/O. A failure's recorded
error (an SMTP reply code and an exception type) is not shown: it is delivery detail, not case content.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from contracts.envelope import Envelope
from contracts.events import (
    NotificationFailed,
    NotificationParked,
    NotificationRequested,
    NotificationRetryRequested,
    NotificationSent,
)
from contracts.vocabulary import NotificationChannel, NotificationKind, Recipient
from services.escalation.domain.casefile import table
from services.escalation.domain.casefile.reader import Frozen, Reader, Shown


class LetterStatus(StrEnum):
    REQUESTED = "requested"
    SENT = "sent"
    FAILED = "failed"
    """The last attempt failed and another is scheduled."""
    PARKED = "parked"
    """Retries are exhausted or the failure is permanent (a bounce too): a person must look at it."""
    RETRYING = "retrying"
    """An operator retried the parked letter; notify makes the attempt."""


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
    bounced_at: datetime | None = None
    """When a bounce (a delivery status notification) reported the mail sent last did not arrive."""
    text: str | None = None
    """The plain-text letter as sent (``letters.text``); none before it was sent."""


def letters_view(
    envelopes: Sequence[Envelope], reader: Reader, shown: Shown, texts: Mapping[UUID, str]
) -> tuple[LetterView, ...] | None:
    """``texts``: the text of each letter sent, by notification id (only read with ``letters.text``)."""
    if not reader.may(table.LETTERS):
        return None
    shown.add(table.LETTERS)
    letters = letters_of(envelopes)
    if not reader.may(table.LETTER_TEXT):
        return letters
    with_texts = tuple(
        letter.model_copy(update={"text": texts[letter.notification_id]})
        if letter.notification_id in texts
        else letter
        for letter in letters
    )
    if any(letter.text is not None for letter in with_texts):
        shown.add(table.LETTER_TEXT)
    return with_texts


def letters_of(envelopes: Sequence[Envelope]) -> tuple[LetterView, ...]:
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
                letter = letters[event.notification_id]
                bounced = letter.status is LetterStatus.SENT  # a failure of the mail sent: its bounce
                letters[event.notification_id] = letter.model_copy(
                    update={
                        "status": LetterStatus.FAILED,
                        "last_failed_at": at,
                        "attempts": event.attempt,
                        "next_attempt_at": event.next_attempt_at,
                        "bounced_at": at if bounced else letter.bounced_at,
                    }
                )
            case NotificationParked() if event.notification_id in letters:
                letters[event.notification_id] = letters[event.notification_id].model_copy(
                    update={"status": LetterStatus.PARKED, "parked_at": at, "attempts": event.attempts}
                )
            case NotificationRetryRequested() if event.notification_id in letters:
                letters[event.notification_id] = letters[event.notification_id].model_copy(
                    update={"status": LetterStatus.RETRYING, "next_attempt_at": None}
                )
            case _:
                pass
    return tuple(letters.values())
