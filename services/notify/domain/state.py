"""What notify needs to know of a case, folded from its events.

Only what decisions and mails need: the reference, the complainant's own name and address (decrypted by
the codec; masks once the case is erased), the first deadline, and per notification what was requested
and what happened to it so far.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from types import MappingProxyType
from uuid import UUID

from contracts.events import (
    AnyEvent,
    CaseReferenceAssigned,
    ComplaintFiled,
    NotificationFailed,
    NotificationParked,
    NotificationRequested,
    NotificationSent,
    PersonalDataErased,
    SignalReceived,
    TermExtended,
    TermStarted,
)
from contracts.values import Complainant
from contracts.vocabulary import DeadlineKind, NotificationChannel, NotificationKind, Recipient


@dataclass(frozen=True, slots=True)
class Notification:
    notification_id: UUID
    kind: NotificationKind
    recipient: Recipient
    channel: NotificationChannel
    failures: int = 0
    """Attempts that failed so far; the next attempt is number ``failures + 1``."""
    next_attempt_at: datetime | None = None
    sent: bool = False
    parked: bool = False

    @property
    def finished(self) -> bool:
        return self.sent or self.parked


@dataclass(frozen=True, slots=True)
class FirstDeadline:
    kind: DeadlineKind
    due_on: date


@dataclass(frozen=True, slots=True)
class CaseMailState:
    reference: str | None = None
    received_on: date | None = None
    complainant_name: str | None = None
    complainant_email: str | None = None
    erased: bool = False
    first_deadline: FirstDeadline | None = None
    notifications: Mapping[UUID, Notification] = field(default_factory=lambda: MappingProxyType({}))

    def notification(self, notification_id: UUID) -> Notification | None:
        return self.notifications.get(notification_id)

    def with_notification(self, notification: Notification) -> CaseMailState:
        updated = {**self.notifications, notification.notification_id: notification}
        return replace(self, notifications=MappingProxyType(updated))


initial_state = CaseMailState()


def evolve(state: CaseMailState, event: AnyEvent) -> CaseMailState:
    match event:
        case SignalReceived(received_on=received_on, complainant=complainant):
            return _with_complainant(replace(state, received_on=received_on), complainant)
        case ComplaintFiled(complainant=complainant) if complainant is not None:
            return _with_complainant(state, complainant)
        case CaseReferenceAssigned(reference=reference):
            return replace(state, reference=reference)
        case TermStarted(deadline=kind, due_on=due_on) if state.first_deadline is None:
            return replace(state, first_deadline=FirstDeadline(kind, due_on))
        case TermExtended(deadline=kind, new_due_on=due_on) if (
            state.first_deadline is not None and state.first_deadline.kind == kind
        ):
            return replace(state, first_deadline=FirstDeadline(kind, due_on))
        case PersonalDataErased():
            return replace(state, erased=True, complainant_name=None, complainant_email=None)
        case NotificationRequested() if event.notification_id not in state.notifications:
            return state.with_notification(
                Notification(event.notification_id, event.kind, event.recipient, event.channel)
            )
        case NotificationSent():
            return _update(state, event.notification_id, lambda n: replace(n, sent=True))
        case NotificationFailed():
            failed = event
            return _update(
                state,
                failed.notification_id,
                lambda n: replace(n, failures=failed.attempt, next_attempt_at=failed.next_attempt_at),
            )
        case NotificationParked():
            return _update(state, event.notification_id, lambda n: replace(n, parked=True))
        case _:
            return state


def fold(events: Iterable[AnyEvent], state: CaseMailState = initial_state) -> CaseMailState:
    for event in events:
        state = evolve(state, event)
    return state


def _with_complainant(state: CaseMailState, complainant: Complainant) -> CaseMailState:
    if state.erased:
        return state
    return replace(state, complainant_name=complainant.name, complainant_email=complainant.email)


def _update(
    state: CaseMailState, notification_id: UUID, change: Callable[[Notification], Notification]
) -> CaseMailState:
    current = state.notification(notification_id)
    if current is None:
        return state  # an outcome without a request in this stream: nothing to base a decision on
    return state.with_notification(change(current))
