"""The operator's side of delivery: bounces read from the mailbox, parked notifications listed and retried.

Each records through notify's decider with deterministic ids, like an attempt does
(:func:`~services.notify.domain.decider.bounce`, :func:`~services.notify.domain.decider.retry`): a
mailbox read twice records each bounce once, and two operators retrying the same notification record
one retry. A retry only asks for the attempt (``NotificationRetryRequested``); the running notify service
makes it, as it makes every attempt, and sends the mail once.

A bounce and the command line know a notification by its id only; its case is found in the global log
(the ``NotificationRequested`` that names it, read with a server-side filter on that type, no personal
data is read to find it). That read grows with the number of notifications ever requested: fine for a
command run every few minutes, and the place for an index when it is not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage, Message
from uuid import UUID

from contracts.base import Actor
from contracts.envelope import Envelope
from contracts.events import NotificationParked, NotificationRequested
from klachtspoor.cases import CaseRepository, LoadedCase, decide_and_append
from klachtspoor.codec import make_envelope
from klachtspoor.eventstore.port import START, EventStore, LogFilter, Position
from klachtspoor.letters.state import fold
from services.notify.domain.bounces import read_bounce
from services.notify.domain.decider import (
    ACTOR,
    Command,
    CommandContext,
    UnknownNotification,
    bounce,
    decide,
    event_id,
    retry,
)

_PAGE = 1000


@dataclass(frozen=True, slots=True)
class ParkedNotification:
    notification_id: UUID
    tenant: str
    stream: str
    reference: str | None
    kind: str
    recipient: str
    channel: str
    attempts: int
    reason: str
    """What failed, as recorded (reply codes and exception types, a DSN's status: no address)."""
    parked_at: datetime


@dataclass(slots=True)
class BounceReading:
    """What reading a mailbox did, per message."""

    recorded: list[UUID] = field(default_factory=list)
    already_recorded: list[UUID] = field(default_factory=list)
    unknown: list[UUID] = field(default_factory=list)
    """Bounces naming a notification no case has (another system's, or a foreign mail)."""
    not_bounces: int = 0


async def requested_in(store: EventStore, tenant: str | None = None) -> dict[UUID, str]:
    """The stream of every requested notification (of ``tenant``, or all), by notification id."""
    types = frozenset({NotificationRequested.event_type})
    log_filter = LogFilter(tenants=frozenset({tenant}) if tenant else None, event_types=types)
    found: dict[UUID, str] = {}
    after: Position = START
    while page := await store.read_all(after=after, filter=log_filter, limit=_PAGE):
        for recorded in page:
            found[UUID(str(recorded.data["notification_id"]))] = recorded.stream
        after = page[-1].position
    return found


async def parked_notifications(
    store: EventStore, repository: CaseRepository, tenant: str | None = None
) -> list[ParkedNotification]:
    """The notifications parked now (not retried since), in the order they were parked."""
    types = frozenset({NotificationParked.event_type})
    log_filter = LogFilter(tenants=frozenset({tenant}) if tenant else None, event_types=types)
    streams: dict[str, None] = {}
    after: Position = START
    while page := await store.read_all(after=after, filter=log_filter, limit=_PAGE):
        streams.update((recorded.stream, None) for recorded in page)
        after = page[-1].position
    parked: list[ParkedNotification] = []
    for stream in streams:
        parked.extend(_parked_in(await repository.load(stream)))
    return sorted(parked, key=lambda p: p.parked_at)


def _parked_in(case: LoadedCase) -> list[ParkedNotification]:
    state = fold(envelope.event for envelope in case.events)
    last_park: dict[UUID, Envelope] = {}
    for envelope in case.events:
        if isinstance(envelope.event, NotificationParked):
            last_park[envelope.event.notification_id] = envelope
    found = []
    for notification_id, envelope in last_park.items():
        notification = state.notification(notification_id)
        if notification is None or not notification.parked:
            continue
        assert isinstance(envelope.event, NotificationParked)
        found.append(
            ParkedNotification(
                notification_id=notification_id,
                tenant=envelope.tenant,
                stream=case.stream,
                reference=state.reference,
                kind=notification.kind.value,
                recipient=notification.recipient.value,
                channel=notification.channel.value,
                attempts=envelope.event.attempts,
                reason=envelope.event.reason,
                parked_at=envelope.occurred_at,
            )
        )
    return found


async def record_bounces(
    store: EventStore, repository: CaseRepository, messages: Iterable[EmailMessage | Message], now: datetime
) -> BounceReading:
    """Record every bounce among ``messages`` on its case (once: a message read again records nothing)."""
    reading = BounceReading()
    streams: dict[UUID, str] | None = None
    for message in messages:
        found = read_bounce(message)
        if found is None:
            reading.not_bounces += 1
            continue
        if streams is None or found.notification_id not in streams:
            streams = await requested_in(store)
        stream = streams.get(found.notification_id)
        if stream is None:
            reading.unknown.append(found.notification_id)
            continue

        command_of = _bounce_of(found.notification_id, found.status, now)
        appended = await _record(repository, stream, found.notification_id, command_of, ACTOR, now)
        (reading.recorded if appended else reading.already_recorded).append(found.notification_id)
    return reading


async def retry_parked(
    store: EventStore, repository: CaseRepository, notification_id: UUID, actor: Actor, now: datetime
) -> str:
    """Record an operator's retry of a parked notification; its stream. Raises
    :class:`~services.notify.domain.decider.NotParked` when it is not parked, and
    :class:`~services.notify.domain.decider.UnknownNotification` when no case has it."""
    stream = (await requested_in(store)).get(notification_id)
    if stream is None:
        raise UnknownNotification(notification_id)

    def command_of(case: LoadedCase) -> Command | None:
        state = fold(envelope.event for envelope in case.events)
        notification = state.notification(notification_id)
        if notification is None:
            raise UnknownNotification(notification_id)
        return retry(notification, actor, _context(case, now))

    await _record(repository, stream, notification_id, command_of, actor, now)
    return stream


def _bounce_of(notification_id: UUID, status: str, now: datetime) -> Callable[[LoadedCase], Command | None]:
    def command_of(case: LoadedCase) -> Command | None:
        notification = fold(envelope.event for envelope in case.events).notification(notification_id)
        if notification is None or not notification.sent:
            return None  # its bounce is recorded already (or it was never handed over)
        return bounce(notification, status, _context(case, now))

    return command_of


def _context(case: LoadedCase, now: datetime) -> CommandContext:
    first = case.events[0]
    return CommandContext(first.tenant, first.case_id, now)


async def _record(
    repository: CaseRepository,
    stream: str,
    notification_id: UUID,
    command_of: Callable[[LoadedCase], Command | None],
    actor: Actor,
    now: datetime,
) -> bool:
    """Decide the command ``command_of(case)`` gives against the case and append; True when appended."""

    def decision(case: LoadedCase) -> Sequence[Envelope]:
        command = command_of(case)
        if command is None:
            return []
        state = fold(envelope.event for envelope in case.events)
        request = _request_of(case, notification_id)
        return [
            make_envelope(
                event,
                event_id=event_id(command, event),
                tenant=request.tenant,
                stream=stream,
                case_id=request.case_id,
                actor=actor,
                occurred_at=now,
                correlation_id=request.correlation_id,
                causation_id=request.event_id,
            )
            for event in decide(command, state)
        ]

    return await decide_and_append(repository, stream, decision) is not None


def _request_of(case: LoadedCase, notification_id: UUID) -> Envelope:
    for envelope in case.events:
        event = envelope.event
        if isinstance(event, NotificationRequested) and event.notification_id == notification_id:
            return envelope
    raise UnknownNotification(notification_id)
