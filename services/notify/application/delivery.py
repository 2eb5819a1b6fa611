"""One notification, one attempt: load the case, decide, hand the mail to SMTP, record the outcome.

Every mail carries its letter as a PDF attachment (:mod:`klachtspoor.letters.document`); a letter on
paper (channel ``letter``) goes to the print queue instead and is recorded sent when it is printed
(:mod:`services.notify.application.printing`); a letter in the dossier only (channel ``dossier``) is
recorded sent at once, without any mail (:mod:`services.notify.domain.dossier`). A letter to someone
else than the complainant goes to the organisation's mailbox the tenants file names for them
(:class:`Mailboxes`).

Exactly one mail, also under crashes and redeliveries:

- Before sending, the case stream is read: a ``NotificationSent`` (or ``NotificationParked``) for the
  notification means there is nothing to do. Each attempt is driven by one event only: attempt 1 by
  ``NotificationRequested``, attempt n+1 by ``NotificationFailed`` of attempt n; a message whose attempt
  has already been made does nothing.
- The outcome is appended with deterministic event ids at the expected version (``decide_and_append``):
  two instances that made the same attempt record it once.
- The one window left is a crash after the SMTP server accepted the mail and before ``NotificationSent``
  was appended. The message is then redelivered and the mail handed over again, with the same
  ``Message-ID`` (``<notification_id@klachtspoor>``): receivers that deduplicate on Message-ID (our dev
  sink does, many real ones do) show it once; others may show it twice. SMTP offers no way to close
  this window (no transactional handover), so it is made as short as possible.

The SMTP envelope sender (``MAIL FROM``, where a receiving server sends its bounce) carries the
notification: ``bounces+<notification id>@domain`` (VERP,
:func:`~services.notify.domain.bounces.verp_address`), so ``klachtspoor notifications bounces`` can tell
which notification a bounce is about.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol
from uuid import UUID

from jinja2 import TemplateError

from contracts.envelope import Envelope
from contracts.vocabulary import Recipient
from klachtspoor.cases import CaseRepository, LoadedCase, decide_and_append
from klachtspoor.codec import make_envelope
from klachtspoor.letters.document import LetterDocument, render_letter
from klachtspoor.letters.facts import LetterFactsMissing
from klachtspoor.letters.handler import confidant_mailbox_tenant, handler_role
from klachtspoor.letters.render import MailRenderer, TemplateMissing
from klachtspoor.letters.state import CaseMailState, Notification, evolve, fold, fold_envelopes
from klachtspoor.policies import PolicyRegistry, UnknownPolicy
from klachtspoor.telemetry import current_traceparent
from klachtspoor.tenants import Tenant, TenantRegistry, UnknownTenant
from services.notify.adapters.message import Addressing, Attachment, OutgoingMail, build_message
from services.notify.adapters.print_queue import PrintQueue, QueuedLetter
from services.notify.domain.addressing import NO_MAILBOXES, Mailboxes
from services.notify.domain.bounces import verp_address
from services.notify.domain.decider import (
    ACTOR,
    Command,
    CommandContext,
    Delivered,
    Failed,
    InDossier,
    Nothing,
    Park,
    Print,
    Send,
    Wait,
    commands_for,
    decide,
    event_id,
    message_id,
    next_step,
)
from services.notify.domain.dossier import placed
from services.notify.domain.retry import RetrySchedule

log = logging.getLogger(__name__)


class Mailer(Protocol):
    async def send(self, mail: OutgoingMail, *, sender: str, recipient: str) -> Delivered | Failed:
        """Hand over the built bytes with an explicit envelope: ``recipient`` is the one RCPT, whatever
        the headers say."""
        ...


Clock = Callable[[], datetime]
AfterHandover = Callable[[UUID], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Cause:
    """The relayed event that asked for this attempt (its ids become correlation and causation)."""

    event_id: UUID
    correlation_id: UUID
    tenant: str
    stream: str
    case_id: UUID
    notification_id: UUID
    attempt: int
    """The attempt this event may start: 1 for a request, n+1 for the failure of attempt n."""


@dataclass(frozen=True, slots=True)
class Disposition:
    """What to do with the bus message that caused an attempt: acknowledge it, or look again later."""

    retry_in: float | None = None
    """None: done (acknowledge); seconds: look again then (the retry is not due yet)."""


async def record_at_once(notification_id: UUID) -> None:
    """The default between handover and record: nothing, the send is recorded at once. The seam is there
    for the tests that kill notify in that window (tests/notify_paused.py fills it with a pause)."""


class Deliverer:
    def __init__(
        self,
        repository: CaseRepository,
        renderer: MailRenderer,
        mailer: Mailer,
        tenants: TenantRegistry,
        policies: PolicyRegistry,
        *,
        schedule: RetrySchedule,
        sender: str,
        bounce_address: str,
        clock: Clock,
        print_queue: PrintQueue,
        after_handover: AfterHandover = record_at_once,
    ) -> None:
        self.repository, self.renderer, self.mailer, self.tenants = repository, renderer, mailer, tenants
        self.policies, self.print_queue = policies, print_queue
        self.schedule, self.sender, self.clock = schedule, sender, clock
        self.bounce_address = bounce_address
        self.after_handover = after_handover

    async def handle(self, cause: Cause) -> Disposition:
        now = self.clock()
        case = await self.repository.load(cause.stream)
        state = fold_envelopes(case.events)
        mailboxes = self._mailboxes(cause.tenant, state, cause.notification_id)
        step = next_step(state, cause.notification_id, now, attempt=cause.attempt, mailboxes=mailboxes)
        fields = {"ks_notification_id": str(cause.notification_id), "ks_stream": cause.stream}
        match step:
            case Nothing(why=why):
                log.info("Nothing to send for notification: %s", why, extra=fields)
                return Disposition()
            case Wait(until=until):
                return Disposition(retry_in=max((until - now).total_seconds(), 0.0))
            case Park(reason=reason):
                log.warning("Parking notification: %s", reason, extra=fields)
                await self._record(cause, step, None, now, case)
                return Disposition()
            case Print(notification=notification):
                queued = self._queue(cause, state, notification)
                if isinstance(queued, Failed):
                    log.warning("Parking letter on paper: %s", queued.error, extra=fields)
                    await self._record(cause, Park(notification, queued.error), None, now, case)
                else:
                    log.info("Letter queued for printing", extra=fields)
                return Disposition()
            case InDossier(notification=notification):
                context = CommandContext(cause.tenant, cause.case_id, now)
                await self._append(cause, [placed(notification, context)], now, case)
                log.info("Letter placed in the dossier", extra=fields)
                return Disposition()
            case Send():
                outcome = await self._attempt(cause, state, step, now)
                if isinstance(outcome, Delivered):
                    await self.after_handover(cause.notification_id)
                    log.info("Mail handed over (attempt %d)", step.attempt, extra=fields)
                else:
                    log.warning("Mail attempt %d failed: %s", step.attempt, outcome.error, extra=fields)
                await self._record(cause, step, outcome, now, case)
                return Disposition()

    async def _state(self, stream: str) -> CaseMailState:
        """The notifications of a case as its stream has them now (each dated the day it was recorded)."""
        return fold_envelopes((await self.repository.load(stream)).events)

    def _mailboxes(self, slug: str, state: CaseMailState, notification_id: UUID) -> Mailboxes:
        """The tenant's mailboxes, the role handling the term a notification is about, the confidant's
        (none looked up for a letter to the complainant, or one already finished)."""
        notification = state.notification(notification_id)
        if notification is None or notification.finished or notification.recipient is Recipient.COMPLAINANT:
            return NO_MAILBOXES
        tenant = self.tenants.get(slug)
        policy = None
        if state.policy is not None:
            try:
                policy = self.policies.get(state.policy.policy_id, state.policy.version)
            except UnknownPolicy:
                policy = None  # the letter's facts report it (LetterFactsMissing), with the ids
        about = notification.about
        confidant_slug = confidant_mailbox_tenant(policy, slug)
        confidant = None
        if confidant_slug is not None:
            try:
                confidant = self.tenants.get(confidant_slug).mailbox("confidant")
            except UnknownTenant:
                confidant = None
        return Mailboxes(dict(tenant.mailboxes), handler_role(state, policy, about), confidant)

    def _letter(
        self, tenant: Tenant, state: CaseMailState, notification: Notification, name: str | None
    ) -> LetterDocument | Failed:
        try:
            return render_letter(
                state, notification, tenant, self.tenants, self.policies, self.renderer, name
            )
        except LetterFactsMissing as error:
            return Failed(f"the facts of the {notification.kind} letter: {error}", permanent=True)
        except (TemplateMissing, TemplateError) as error:
            return Failed(
                f"mail template for {notification.kind} failed ({type(error).__name__})", permanent=True
            )

    def _queue(self, cause: Cause, state: CaseMailState, notification: Notification) -> Path | Failed:
        """Put a letter on paper in the print queue (the same file again on a redelivery)."""
        letter = self._letter(self.tenants.get(cause.tenant), state, notification, None)
        if isinstance(letter, Failed):
            return letter
        assert state.reference is not None
        queued = QueuedLetter(
            tenant=cause.tenant,
            stream=cause.stream,
            case_id=str(cause.case_id),
            notification_id=str(notification.notification_id),
            reference=state.reference,
            kind=notification.kind.value,
            recipient=notification.recipient.value,
            correlation_id=str(cause.correlation_id),
        )
        return self.print_queue.put(queued, letter.pdf())

    async def park_poison(self, cause: Cause, error: BaseException) -> None:
        """Park a notification whose message kept failing (the error is recorded, the message dropped)."""
        now = self.clock()
        state = await self._state(cause.stream)
        notification = state.notification(cause.notification_id)
        if notification is None or notification.finished:
            return
        # The type only: an exception's text may carry a value from the case (it is logged, with its
        # traceback, where it happened; the parked event names no personal data).
        reason = f"processing failed repeatedly: {type(error).__name__}"
        await self._record(cause, Park(notification, reason), None, now)

    async def _attempt(
        self, cause: Cause, state: CaseMailState, step: Send, now: datetime
    ) -> Delivered | Failed:
        tenant = self.tenants.get(cause.tenant)
        letter = self._letter(tenant, state, step.notification, step.to_name)
        if isinstance(letter, Failed):
            return letter
        addressing = Addressing(
            message_id=message_id(cause.notification_id, step.notification.retries),
            sender_name=tenant.mail_sender_name,
            sender=self.sender,
            to_name=step.to_name,
            to=step.to_address,
            date=now,
        )
        try:
            message = build_message(letter.mail, addressing, Attachment(letter.filename, letter.pdf()))
        except ValueError as error:  # the decider checked the address; this is the second lock
            return Failed(f"mail not built: {error}", permanent=True)
        envelope_sender = verp_address(self.bounce_address, cause.notification_id)
        return await self.mailer.send(message, sender=envelope_sender, recipient=step.to_address)

    async def _record(
        self,
        cause: Cause,
        step: Send | Park,
        outcome: Delivered | Failed | None,
        now: datetime,
        loaded: LoadedCase | None = None,
    ) -> None:
        commands = commands_for(
            step, outcome, self.schedule, CommandContext(cause.tenant, cause.case_id, now)
        )
        await self._append(cause, commands, now, loaded)

    async def _append(
        self, cause: Cause, commands: Sequence[Command], now: datetime, loaded: LoadedCase | None = None
    ) -> None:
        """Decide ``commands`` against the case as it is now and append what they record.

        ``loaded``: the case as this attempt read it; decided on without reading it again, and read anew
        only when something was appended in between (the expected version tells).
        """
        traceparent = current_traceparent()

        def decision(case: LoadedCase) -> Sequence[Envelope]:
            state = fold(envelope.event for envelope in case.events)
            envelopes = []
            for command in commands:
                for event in decide(command, state):
                    state = evolve(state, event)
                    envelopes.append(
                        make_envelope(
                            event,
                            event_id=event_id(command, event),
                            tenant=cause.tenant,
                            stream=cause.stream,
                            case_id=cause.case_id,
                            actor=ACTOR,
                            occurred_at=now,
                            correlation_id=cause.correlation_id,
                            causation_id=cause.event_id,
                            traceparent=traceparent,
                        )
                    )
            return envelopes

        await decide_and_append(self.repository, cause.stream, decision, loaded=loaded)
