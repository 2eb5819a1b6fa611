"""The deadline timer: every ``interval`` seconds, record the warnings and breaches the index says are due.

A tick reads the rows of ``escalation.timer_due`` whose next moment is at or before the injected clock's
``now`` (all of them, page by page: a timer that was down catches up on everything it missed), and for
each runs ``RecordDeadlineWarning`` and/or ``RecordDeadlineBreach`` through
:func:`klachtspoor.cases.decide_and_append` with the case's pinned policy.

Exactly once, with any number of timers: the command and event ids derive from the case, the deadline
kind, the due date and the purpose (``uuid5``), and the decider decides nothing for a warning or breach
the case already has. Two timers racing on one case: the second append fails on the expected version,
loads the case again and decides nothing; a retried append with the same ids is an idempotent retry.
A stale row (the term was met, moved or paused after the index saw it) decides nothing either.

The retention term is not breached: when it ends (the breach moment of its row) the timer erases the case
with ``EraseAtRetentionEnd`` (reason ``retention_expired``) through the
:class:`~services.escalation.application.erasure.ErasureWorkflow`, which shreds the key before it appends
``PersonalDataErased``. The command id derives from the case and the due date as above, with purpose
``erase``: a second timer, or one killed between shredding and appending, finds the earlier event or
decides and appends it once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal
from uuid import UUID, uuid5

from opentelemetry import trace

from contracts.base import Actor
from contracts.commands import RecordDeadlineBreach, RecordDeadlineWarning
from contracts.envelope import Envelope
from contracts.events import AnyEvent, NotificationRequested
from contracts.vocabulary import DeadlineKind, ErasureReason, Role
from klachtspoor import pgconnect
from klachtspoor.cases import CaseRepository, LoadedCase, decide_and_append
from klachtspoor.codec import make_envelope
from klachtspoor.policies import PolicyRegistry
from klachtspoor.telemetry import current_traceparent
from services.escalation.adapters.policies import PinnedPolicies
from services.escalation.adapters.timer_index import IndexedDue, due_at
from services.escalation.adapters.timer_rows import pinned_policy
from services.escalation.application.erasure import ErasureWorkflow
from services.escalation.application.pending_erasures import PendingErasures
from services.escalation.domain import CommandRejected, EraseAtRetentionEnd, decide, fold

log = logging.getLogger(__name__)
_tracer = trace.get_tracer("services.escalation.timer")

TIMER_ACTOR = Actor(id="escalation-timer", role=Role.SYSTEM)
Recorded = Literal["warning", "breach"]
"""What the timer records as an event of the term itself."""
Purpose = Recorded | Literal["erase"]
EventPurpose = Recorded | Literal["warning-mail", "breach-mail"]
"""What an event of the timer is for: the term's warning or breach, or the mail to its handler beside it."""
Clock = Callable[[], datetime]


def timer_id(
    kind: Literal["command", "event"],
    case_id: UUID,
    deadline: DeadlineKind,
    due_on: date,
    purpose: Purpose | EventPurpose,
) -> UUID:
    """The id of the timer's command or event for one term, due date and purpose: the same every time."""
    return uuid5(case_id, f"timer:{kind}:{deadline.value}:{due_on.isoformat()}:{purpose}")


@dataclass
class TickReport:
    """What one tick did: the rows it found due, the events it appended, and the rows that failed."""

    due: int = 0
    appended: list[tuple[str, str]] = field(default_factory=list)
    """(stream, event type) of every warning, breach or erasure this tick decided and the store accepted.
    Two timers racing on a term may both list its event: the store took it once (same id) and acknowledged
    the other append as an idempotent retry."""
    mails: int = 0
    """Mails to a term's handler asked beside the warnings and breaches (``NotificationRequested``)."""
    rejected: int = 0
    failed: int = 0
    erasures_finished: int = 0
    """Erasures begun in an earlier moment and left half-done, finished by this tick's sweep."""


class DeadlineTimer:
    """``await timer.tick()`` once, or ``await timer.run()`` until :meth:`stop` (tick, wait, tick …)."""

    def __init__(
        self,
        repository: CaseRepository,
        database_url: str,
        policies: PolicyRegistry,
        clock: Clock,
        pending: PendingErasures,
        *,
        interval: float = 30.0,
        page: int = 100,
        attempts: int = 8,
        actor: Actor = TIMER_ACTOR,
    ) -> None:
        if interval <= 0 or page < 1:
            raise ValueError(f"DeadlineTimer needs interval > 0 and page >= 1, got {interval} and {page}")
        self.repository, self.database_url, self.policies = repository, database_url, policies
        self.clock, self.interval, self.page = clock, interval, page
        self.attempts, self.actor = attempts, actor
        self.erasure = ErasureWorkflow(
            repository, repository.codec.keyring, PinnedPolicies(policies), pending, attempts=attempts
        )
        self._stop = asyncio.Event()
        self.ticks = 0

    def stop(self) -> None:
        """Finish the row in hand and return from :meth:`run` (cancelling the task is safe too)."""
        self._stop.set()

    async def run(self) -> None:
        """Tick every ``interval`` seconds until stopped. A failed tick (the database away) is logged
        with its traceback and tried again at the next one: the index and the events are durable."""
        while not self._stop.is_set():
            try:
                await self.tick()
            except Exception:
                log.exception("Deadline timer tick failed; trying again in %.1f s", self.interval)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=self.interval)

    async def tick(self) -> TickReport:
        now = self.clock()
        report = TickReport()
        report.erasures_finished = await self.erasure.finish_begun(now)
        conn = await pgconnect.connect(self.database_url)
        try:
            after: tuple[datetime, str, str] | None = None
            while not self._stop.is_set():
                rows = await due_at(conn, now, after=after, limit=self.page)
                for due in rows:
                    if self._stop.is_set():
                        break
                    report.due += 1
                    await self._fire(due, now, report)
                if len(rows) < self.page:
                    break
                after = rows[-1].key
        finally:
            await conn.close()
            self.ticks += 1
        if report.due:
            log.info(
                "Deadline timer: %d due, %d appended, %d rejected, %d failed",
                report.due,
                len(report.appended),
                report.rejected,
                report.failed,
                extra={"ks_timer_now": now.isoformat()},
            )
        return report

    async def _fire(self, due: IndexedDue, now: datetime, report: TickReport) -> None:
        """Warning first, then breach (a timer that was down long enough records both in one tick); at the
        end of the retention term, erasure instead of a breach."""
        purposes: list[Purpose] = []
        if due.row.warning_at is not None and due.row.warning_at <= now:
            purposes.append("warning")
        if due.row.breach_at is not None and due.row.breach_at <= now:
            purposes.append("erase" if due.row.deadline is DeadlineKind.RETENTION else "breach")
        for purpose in purposes:
            try:
                if purpose == "erase":
                    appended = await self.erase(due, now)
                else:
                    appended = await self.record(due, purpose, now)
            except CommandRejected as rejected:
                report.rejected += 1
                log.warning(
                    "Deadline timer: %s refused (%s: %s)",
                    purpose,
                    rejected.rule.value,
                    rejected.detail,
                    extra={"ks_stream": due.stream, "ks_deadline": due.row.deadline.value},
                )
                return
            except Exception:
                # The row stays due: the next tick tries it again. The others go on meanwhile.
                report.failed += 1
                log.exception(
                    "Deadline timer: recording the %s failed",
                    purpose,
                    extra={"ks_stream": due.stream, "ks_deadline": due.row.deadline.value},
                )
                return
            mails = [t for t in appended if t == "NotificationRequested"]
            report.mails += len(mails)
            report.appended.extend((due.stream, t) for t in appended if t != "NotificationRequested")

    async def record(self, due: IndexedDue, purpose: Recorded, now: datetime) -> Sequence[str]:
        """Decide and append the warning or breach of one indexed term; the event types appended."""
        command = self._command(due, purpose, now)
        decided: list[Envelope] = []

        def decision(case: LoadedCase) -> Sequence[Envelope]:
            state = fold(envelope.event for envelope in case.events)
            events = decide(command, state, pinned_policy(state, self.policies))
            decided[:] = [self._wrap(command, due, purpose, event) for event in events]
            return decided

        with _tracer.start_as_current_span(
            f"escalation timer {type(command).__name__}",
            attributes={"ks.stream": due.stream, "ks.deadline": due.row.deadline.value},
        ):
            result = await decide_and_append(self.repository, due.stream, decision, attempts=self.attempts)
        return [envelope.type for envelope in decided] if result is not None else []

    async def erase(self, due: IndexedDue, now: datetime) -> Sequence[str]:
        """Erase the case whose retention term ``due`` ended; the event types appended (none on a replay
        or for a stale row)."""
        command = EraseAtRetentionEnd(
            command_id=timer_id("command", due.case_id, due.row.deadline, due.row.due_on, "erase"),
            tenant=due.tenant,
            case_id=due.case_id,
            actor=self.actor,
            now=now,
            reason=ErasureReason.RETENTION_EXPIRED,
            due_on=due.row.due_on,
        )
        with _tracer.start_as_current_span(
            f"escalation timer {type(command).__name__}",
            attributes={"ks.stream": due.stream, "ks.deadline": due.row.deadline.value},
        ):
            decision = await self.erasure.handle(command)
        return () if decision.replayed else decision.appended

    def _command(
        self, due: IndexedDue, purpose: Recorded, now: datetime
    ) -> RecordDeadlineWarning | RecordDeadlineBreach:
        kind = RecordDeadlineWarning if purpose == "warning" else RecordDeadlineBreach
        return kind(
            command_id=timer_id("command", due.case_id, due.row.deadline, due.row.due_on, purpose),
            tenant=due.tenant,
            case_id=due.case_id,
            actor=self.actor,
            now=now,
            deadline=due.row.deadline,
            due_on=due.row.due_on,
        )

    def _wrap(
        self,
        command: RecordDeadlineWarning | RecordDeadlineBreach,
        due: IndexedDue,
        purpose: Recorded,
        event: AnyEvent,
    ) -> Envelope:
        # The warning or breach keeps the id it always had; the handler's mail beside it has one of its own.
        mail: EventPurpose = "warning-mail" if purpose == "warning" else "breach-mail"
        which = mail if isinstance(event, NotificationRequested) else purpose
        return make_envelope(
            event,
            event_id=timer_id("event", due.case_id, due.row.deadline, due.row.due_on, which),
            tenant=due.tenant,
            stream=due.stream,
            case_id=due.case_id,
            actor=self.actor,
            occurred_at=command.now,
            correlation_id=command.command_id,
            traceparent=current_traceparent(),
        )
