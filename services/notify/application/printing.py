"""A letter on paper, printed: record it sent (``NotificationSent`` with channel ``letter``) and move its
PDF out of the print queue.

The record uses notify's decider and deterministic ids (:func:`~services.notify.domain.decider.printed`),
so marking a letter printed twice, or by two operators, records it once; the PDF is moved only after the
record was appended, so a failure leaves the letter in the queue to mark again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from contracts.envelope import Envelope
from klachtspoor.cases import CaseRepository, LoadedCase, decide_and_append
from klachtspoor.codec import make_envelope
from klachtspoor.letters.state import fold
from services.notify.adapters.print_queue import PrintQueue, QueuedLetter
from services.notify.domain.decider import ACTOR, CommandContext, decide, event_id, printed


class NotAQueuedLetter(LookupError):
    """The queue names a notification the case does not have (a file copied in by hand)."""


async def mark_printed(
    repository: CaseRepository, queue: PrintQueue, notification_id: UUID, now: datetime
) -> QueuedLetter:
    """Record the queued letter ``notification_id`` as sent on paper and move it to ``printed/``."""
    letter, _ = queue.find(notification_id)
    case_id = UUID(letter.case_id)

    def decision(case: LoadedCase) -> Sequence[Envelope]:
        state = fold(envelope.event for envelope in case.events)
        notification = state.notification(notification_id)
        if notification is None:
            raise NotAQueuedLetter(f"case {letter.case_id} has no notification {notification_id}")
        command = printed(notification, CommandContext(letter.tenant, case_id, now))
        return [
            make_envelope(
                event,
                event_id=event_id(command, event),
                tenant=letter.tenant,
                stream=letter.stream,
                case_id=case_id,
                actor=ACTOR,
                occurred_at=now,
                correlation_id=UUID(letter.correlation_id),
                causation_id=None,
            )
            for event in decide(command, state)
        ]

    await decide_and_append(repository, letter.stream, decision)
    queue.mark_printed(letter)
    return letter
