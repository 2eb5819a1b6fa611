"""The notify decider: what to do next with a notification, and which events record an attempt.

Sending is I/O and happens outside: :func:`next_step` says whether to send (and which attempt, to which
address), put a letter on paper in the print queue, wait, park or leave it; after the attempt,
:func:`commands_for` turns its outcome into commands, and :func:`decide` turns each command into events
against the case as it is *now* (it may have changed while the mail was on its way: another instance may
have recorded the same attempt already).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypeAlias, assert_never
from uuid import UUID, uuid5

from contracts.base import Actor, Event
from contracts.commands.notifications import (
    ParkNotification,
    RecordNotificationBounce,
    RecordNotificationFailure,
    RecordNotificationSent,
    RetryNotification,
)
from contracts.events import (
    NotificationFailed,
    NotificationParked,
    NotificationRetryRequested,
    NotificationSent,
)
from contracts.personal import DEFAULT_MASK
from contracts.vocabulary import NotificationChannel, Recipient, Role
from klachtspoor.letters.state import CaseMailState, Notification
from klachtspoor.mailaddress import InvalidAddress, single_address
from services.notify.domain.addressing import NO_MAILBOXES, Mailboxes, Unaddressable, mailbox_address
from services.notify.domain.retry import RetrySchedule

ACTOR = Actor(id="notify", role=Role.SYSTEM)
_IDS = UUID("6f0c1f52-5a55-4c1e-9a8e-6e6f74696679")

Command: TypeAlias = (
    RecordNotificationSent
    | RecordNotificationFailure
    | ParkNotification
    | RecordNotificationBounce
    | RetryNotification
)
NotifyEvent: TypeAlias = (
    NotificationSent | NotificationFailed | NotificationParked | NotificationRetryRequested
)


class UnknownNotification(LookupError):
    def __init__(self, notification_id: UUID) -> None:
        super().__init__(f"No NotificationRequested with notification_id {notification_id} in this case")


class NotParked(ValueError):
    """An operator's retry of a notification that is not parked (sent, waiting, or retried already)."""

    def __init__(self, notification: Notification) -> None:
        what = (
            "sent"
            if notification.sent
            else "retried already"
            if notification.retry_requested
            else "not parked"
        )
        super().__init__(f"Notification {notification.notification_id} is {what}: nothing to retry")


# --- what to do next -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Send:
    notification: Notification
    attempt: int
    to_name: str | None
    to_address: str
    """Exactly one address, checked by :func:`~klachtspoor.mailaddress.single_address` (normalised)."""


@dataclass(frozen=True, slots=True)
class Print:
    """A letter on paper (channel ``letter``): its PDF goes to the print queue; it is recorded sent
    when an operator has printed it (``klachtspoor letters printed``), not before."""

    notification: Notification


@dataclass(frozen=True, slots=True)
class InDossier:
    """A letter in the dossier only (channel ``dossier``): never mailed or printed, it is recorded sent
    at once (:func:`services.notify.domain.dossier.placed`) and the dossier lists it from then on."""

    notification: Notification


@dataclass(frozen=True, slots=True)
class Wait:
    until: datetime


@dataclass(frozen=True, slots=True)
class Park:
    notification: Notification
    reason: str


@dataclass(frozen=True, slots=True)
class Nothing:
    why: str


Step: TypeAlias = Send | Print | InDossier | Wait | Park | Nothing


def next_step(
    state: CaseMailState,
    notification_id: UUID,
    now: datetime,
    *,
    attempt: int,
    mailboxes: Mailboxes = NO_MAILBOXES,
) -> Step:
    """What to do for the event that may start attempt ``attempt`` (1 for the request, n+1 for the
    failure of attempt n). One event drives each attempt, so a redelivered request does not race the
    retry that the failure event drives."""
    notification = state.notification(notification_id)
    if notification is None:
        return Nothing(f"notification {notification_id} was not requested in this case")
    if notification.sent:
        return Nothing("already sent")
    if notification.parked:
        return Nothing("parked")
    if notification.failures + 1 != attempt:
        return Nothing(f"attempt {attempt} is not the next one (failures so far: {notification.failures})")
    if notification.failures and notification.next_attempt_at is None and not notification.retry_requested:
        return Park(notification, "no retry left after the last failure")
    if notification.next_attempt_at is not None and now < notification.next_attempt_at:
        return Wait(notification.next_attempt_at)
    unsendable = _why_unsendable(state, notification)
    if unsendable is not None:
        return Park(notification, unsendable)
    match notification.channel:
        case NotificationChannel.DOSSIER:
            return InDossier(notification)
        case NotificationChannel.LETTER:
            return Print(notification)
        case NotificationChannel.EMAIL:
            return _mail(state, notification, mailboxes)
        case _:
            assert_never(notification.channel)


def _mail(state: CaseMailState, notification: Notification, mailboxes: Mailboxes) -> Send | Park:
    if notification.recipient is not Recipient.COMPLAINANT:
        address = mailbox_address(state, notification, mailboxes)
        if isinstance(address, Unaddressable):
            return Park(notification, address.reason)
        return Send(notification, notification.failures + 1, None, address)
    assert state.complainant_email is not None
    try:
        address = single_address(state.complainant_email)
    except InvalidAddress:
        # Intake refuses such a value; one stored before that check (or by another writer) must still
        # never reach several recipients. The reason names the rule, not the value.
        return Park(notification, "the complainant's e-mail address is not exactly one valid address")
    return Send(notification, notification.failures + 1, state.complainant_name, address)


def _why_unsendable(state: CaseMailState, notification: Notification) -> str | None:
    if state.erased:
        return "the case's personal data was erased"
    if state.reference is None:
        return "the case has no reference to name in the mail"
    if notification.channel is not NotificationChannel.EMAIL:
        return None  # on paper or in the dossier: no address needed
    if notification.recipient is Recipient.PERSON_COMPLAINED_ABOUT:
        return "no e-mail address is known for the person complained about (a letter goes on paper)"
    if notification.recipient is not Recipient.COMPLAINANT:
        return None
    if not state.complainant_email or state.complainant_email == DEFAULT_MASK:
        return "the complainant left no e-mail address"
    if state.mail_withdrawn:
        return "the complainant withdrew the consent to be mailed (email_correspondence)"
    return None


# --- the outcome of an attempt, as commands --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Delivered:
    message_id: str


@dataclass(frozen=True, slots=True)
class Failed:
    error: str
    permanent: bool


SmtpResult: TypeAlias = Delivered | Failed
"""What the SMTP server answered to one attempt (not :class:`contracts.vocabulary.Outcome`, a judgement's)."""


@dataclass(frozen=True, slots=True)
class CommandContext:
    tenant: str
    case_id: UUID
    now: datetime


def commands_for(
    step: Send | Park, outcome: SmtpResult | None, schedule: RetrySchedule, at: CommandContext
) -> list[Command]:
    """The commands that record an attempt's outcome (``outcome`` is None for a :class:`Park` step)."""
    nid = step.notification.notification_id
    common = {"tenant": at.tenant, "case_id": at.case_id, "actor": ACTOR, "now": at.now}
    match step, outcome:
        case Park(reason=reason), _:
            attempts = max(step.notification.failures, 1)
            return [
                ParkNotification(
                    command_id=_round_id(step.notification, "park"),
                    notification_id=nid,
                    attempts=attempts,
                    reason=reason,
                    **common,
                )
            ]
        case Send(attempt=attempt), Delivered(message_id=message_id):
            return [
                RecordNotificationSent(
                    command_id=_round_id(step.notification, "sent"),
                    notification_id=nid,
                    channel=step.notification.channel,
                    attempt=attempt,
                    message_id=message_id,
                    **common,
                )
            ]
        case Send(attempt=attempt), Failed(error=error, permanent=permanent):
            retry_at = None if permanent else schedule.next_attempt_at(attempt, at.now)
            failure = RecordNotificationFailure(
                command_id=_id(nid, f"failed-{attempt}"),
                notification_id=nid,
                attempt=attempt,
                error=error,
                next_attempt_at=retry_at,
                **common,
            )
            if retry_at is not None:
                return [failure]
            reason = "permanent failure" if permanent else f"no retry left after {attempt} attempts"
            park = ParkNotification(
                command_id=_round_id(step.notification, "park"),
                notification_id=nid,
                attempts=attempt,
                reason=f"{reason}: {error}",
                **common,
            )
            return [failure, park]
        case Send(), None:
            raise ValueError(f"Send step of notification {nid} needs an outcome")
    raise AssertionError(f"unreachable: {step!r}, {outcome!r}")


# --- the decider -----------------------------------------------------------------------------------


def decide(command: Command, state: CaseMailState) -> list[NotifyEvent]:
    match command:
        case RecordNotificationSent():
            return _record_sent(command, state)
        case RecordNotificationFailure():
            return _record_failure(command, state)
        case ParkNotification():
            return _park(command, state)
        case RecordNotificationBounce():
            return _record_bounce(command, state)
        case RetryNotification():
            return _retry(command, state)
        case _:
            assert_never(command)


def _record_sent(command: RecordNotificationSent, state: CaseMailState) -> list[NotifyEvent]:
    if _known(state, command.notification_id).sent:
        return []
    return [
        NotificationSent(
            notification_id=command.notification_id,
            channel=command.channel,
            attempt=command.attempt,
            message_id=command.message_id,
        )
    ]


def _record_failure(command: RecordNotificationFailure, state: CaseMailState) -> list[NotifyEvent]:
    notification = _known(state, command.notification_id)
    if notification.finished or notification.failures >= command.attempt:
        return []
    return [
        NotificationFailed(
            notification_id=command.notification_id,
            attempt=command.attempt,
            error=command.error,
            next_attempt_at=command.next_attempt_at,
        )
    ]


def _park(command: ParkNotification, state: CaseMailState) -> list[NotifyEvent]:
    if _known(state, command.notification_id).finished:
        return []
    return [
        NotificationParked(
            notification_id=command.notification_id, attempts=command.attempts, reason=command.reason
        )
    ]


def _record_bounce(command: RecordNotificationBounce, state: CaseMailState) -> list[NotifyEvent]:
    """The sent attempt failed after all: its failure, without a retry (the address or the mailbox is the
    cause, which another try does not change), and parked for a person. A bounce of a notification that
    is not sent (its bounce recorded already, or a DSN read again) records nothing."""
    notification = _known(state, command.notification_id)
    if not notification.sent or notification.sent_attempt is None:
        return []
    why = f"bounced: the receiving mail server reported delivery failed ({command.status})"
    return [
        NotificationFailed(
            notification_id=command.notification_id,
            attempt=notification.sent_attempt,
            error=why,
            next_attempt_at=None,
        ),
        NotificationParked(
            notification_id=command.notification_id, attempts=notification.sent_attempt, reason=why
        ),
    ]


def _retry(command: RetryNotification, state: CaseMailState) -> list[NotifyEvent]:
    """A parked notification starts its next attempt; anything else is refused (:class:`NotParked`), so
    a second retry of the same one, or one racing it, never asks a second mail."""
    notification = _known(state, command.notification_id)
    if not notification.parked:
        raise NotParked(notification)
    return [
        NotificationRetryRequested(notification_id=command.notification_id, attempt=notification.failures + 1)
    ]


def bounce(notification: Notification, status: str, at: CommandContext) -> RecordNotificationBounce:
    """The command recording a bounce of the attempt sent last (one id per attempt: a DSN read twice, or
    two DSNs of one attempt, record it once)."""
    nid = notification.notification_id
    return RecordNotificationBounce(
        command_id=_id(nid, f"bounce-{notification.sent_attempt}"),
        notification_id=nid,
        status=status,
        tenant=at.tenant,
        case_id=at.case_id,
        actor=ACTOR,
        now=at.now,
    )


def retry(notification: Notification, actor: Actor, at: CommandContext) -> RetryNotification:
    """An operator's retry: the id follows from the round it starts, so two operators retrying the same
    parked notification at once record one retry."""
    nid = notification.notification_id
    return RetryNotification(
        command_id=_id(nid, f"retry-{notification.retries + 1}"),
        notification_id=nid,
        tenant=at.tenant,
        case_id=at.case_id,
        actor=actor,
        now=at.now,
    )


def _known(state: CaseMailState, notification_id: UUID) -> Notification:
    notification = state.notification(notification_id)
    if notification is None:
        raise UnknownNotification(notification_id)
    return notification


# --- deterministic ids -----------------------------------------------------------------------------


def _id(notification_id: UUID, purpose: str) -> UUID:
    return uuid5(_IDS, f"{notification_id}/{purpose}")


def _round_id(notification: Notification, purpose: str) -> UUID:
    """The id of a send or park: as it always was before any retry, then one per operator's retry."""
    if not notification.retries:
        return _id(notification.notification_id, purpose)
    return _id(notification.notification_id, f"retry-{notification.retries}/{purpose}")


def event_id(command: Command, event: Event) -> UUID:
    """An event's id follows from the notification and what it records, never from the message that
    caused the attempt: a retry seen through two messages still records attempt n under one id."""
    return uuid5(command.command_id, event.event_type)


def message_id(notification_id: UUID, retries: int = 0) -> str:
    """The SMTP Message-ID: the same for every attempt of a round, so receivers drop a mail handed over
    twice; an operator's retry (``retries``) is a new mail, with a Message-ID of its own."""
    if not retries:
        return f"<{notification_id}@klachtspoor>"
    return f"<{notification_id}.{retries}@klachtspoor>"


def printed(notification: Notification, at: CommandContext) -> RecordNotificationSent:
    """The command that records a letter as sent without a transport (no Message-ID): on paper once an
    operator has printed it, in the dossier at once. The same id as any send of the notification, so
    printing (or placing) it twice records it once."""
    nid = notification.notification_id
    return RecordNotificationSent(
        command_id=_round_id(notification, "sent"),
        notification_id=nid,
        channel=notification.channel,
        attempt=notification.failures + 1,
        message_id=None,
        tenant=at.tenant,
        case_id=at.case_id,
        actor=ACTOR,
        now=at.now,
    )
