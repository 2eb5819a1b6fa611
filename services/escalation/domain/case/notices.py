"""Letters and mails to the complainant, requested on the channel they can be reached on."""

from __future__ import annotations

from uuid import UUID

from contracts.events import AnyEvent, NotificationRequested
from contracts.vocabulary import NotificationChannel, NotificationKind, Recipient
from services.escalation.domain import ids
from services.escalation.domain.case.skips import acknowledgement_channel
from services.escalation.domain.case.state import CaseState


def to_complainant(
    state: CaseState, cause: UUID, kind: NotificationKind, purpose: str = ""
) -> list[AnyEvent]:
    """A notification of ``kind``, or none when the complainant is anonymous or left no address. Its id
    derives from ``cause`` (the command) and ``kind`` (plus ``purpose`` when one cause sends several)."""
    if state.contact is None:
        return []
    channel = acknowledgement_channel(state.contact)
    if not isinstance(channel, NotificationChannel):
        return []
    key = f"{kind.value}:{purpose}" if purpose else kind.value
    return [
        NotificationRequested(
            notification_id=ids.notification_id(cause, key),
            kind=kind,
            recipient=Recipient.COMPLAINANT,
            channel=channel,
        )
    ]
