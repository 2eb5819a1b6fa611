"""The timer loop on real PostgreSQL: due warnings and breaches are appended once, whatever runs twice."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, date, datetime

import pytest
from timer_given import (
    FIRST_CONTACT,
    FIRST_CONTACT_DUE,
    Clock,
    Index,
    at,
    both,
    day_after,
    open_case,
    started,
    timer,
    timer_events,
)

from contracts.envelope import Envelope
from contracts.events import NotificationRequested
from contracts.values import Term
from contracts.vocabulary import DeadlineKind, NotificationKind, Recipient, TermUnit
from klachtspoor.cases import CaseRepository
from klachtspoor.eventstore.port import AppendResult, ExpectedVersion
from klachtspoor.policies import PolicyRegistry
from klachtspoor.settings import Settings
from services.escalation.application.pending_erasures import PendingErasures

YESTERDAY_DUE = at(day_after(FIRST_CONTACT_DUE))


async def test_a_term_due_yesterday_gets_one_warning_and_one_breach_in_one_tick(
    repository: CaseRepository,
    settings: Settings,
    registry: PolicyRegistry,
    index: Index,
    tenant: str,
    pending: PendingErasures,
) -> None:
    case, result = await open_case(repository, tenant)
    await index.caught_up(result)

    report = await timer(repository, settings.database_url, registry, Clock(YESTERDAY_DUE), pending).tick()

    assert report.appended == [(case.stream, "DeadlineWarningReached"), (case.stream, "DeadlineBreached")]
    assert await timer_events(repository, case.stream) == both(FIRST_CONTACT, FIRST_CONTACT_DUE)
    loaded = await repository.load(case.stream)
    assert {e.actor.id for e in loaded.events[-4:]} == {"escalation-timer"}
    # each with one mail to the term's handler, which a second tick does not ask again
    mails = [
        e.event
        for e in loaded.events
        if isinstance(e.event, NotificationRequested) and e.event.recipient is Recipient.CASE_HANDLER
    ]
    assert [m.kind for m in mails] == [NotificationKind.DEADLINE_WARNING, NotificationKind.DEADLINE_BREACHED]
    assert report.mails == 2
    again = await timer(repository, settings.database_url, registry, Clock(YESTERDAY_DUE), pending).tick()
    assert (again.appended, again.mails) == ([], 0)


async def test_the_warning_is_due_at_midnight_of_its_day_and_the_breach_at_midnight_after_the_due_date(
    repository: CaseRepository,
    settings: Settings,
    registry: PolicyRegistry,
    index: Index,
    tenant: str,
    pending: PendingErasures,
) -> None:
    """In March the Netherlands is at UTC+1: 23:00 UTC is midnight in Amsterdam."""
    case, result = await open_case(repository, tenant)
    await index.caught_up(result)
    clock = Clock(datetime(2026, 3, 5, 22, 59, tzinfo=UTC))  # 23:59 on 5 March, the warning day is the 6th
    loop = timer(repository, settings.database_url, registry, clock, pending)

    assert (await loop.tick()).appended == []
    clock.now = datetime(2026, 3, 5, 23, 0, tzinfo=UTC)
    assert (await loop.tick()).appended == [(case.stream, "DeadlineWarningReached")]
    await index.caught_up_with(case.stream)
    clock.now = datetime(2026, 3, 9, 22, 59, tzinfo=UTC)  # the due date's last minute: the term still runs
    assert (await loop.tick()).appended == []
    clock.now = datetime(2026, 3, 9, 23, 0, tzinfo=UTC)
    assert (await loop.tick()).appended == [(case.stream, "DeadlineBreached")]
    await index.caught_up_with(case.stream)
    assert await index.rows() == []
    assert await timer_events(repository, case.stream) == both(FIRST_CONTACT, FIRST_CONTACT_DUE)


async def test_two_timers_ticking_at_once_append_each_event_once(
    repository: CaseRepository,
    settings: Settings,
    registry: PolicyRegistry,
    index: Index,
    tenant: str,
    pending: PendingErasures,
) -> None:
    cases = [await open_case(repository, tenant) for _ in range(6)]
    await index.caught_up(cases[-1][1])
    clock = Clock(YESTERDAY_DUE)
    first, second = (timer(repository, settings.database_url, registry, clock, pending) for _ in range(2))

    reports = await asyncio.gather(first.tick(), second.tick(), first.tick(), second.tick())

    assert {item for report in reports for item in report.appended} == {
        (case.stream, event_type)
        for case, _ in cases
        for event_type in ("DeadlineWarningReached", "DeadlineBreached")
    }
    assert sum(report.failed + report.rejected for report in reports) == 0
    for case, _ in cases:
        assert await timer_events(repository, case.stream) == both(FIRST_CONTACT, FIRST_CONTACT_DUE)


class KillAfter(CaseRepository):
    """Cancels the timer's task after ``appends`` appends, as a killed process stops mid-tick."""

    def __init__(self, inner: CaseRepository, appends: int) -> None:
        super().__init__(inner.store, inner.codec)
        self.left = appends
        self.task: asyncio.Task[None] | None = None

    async def append(
        self, stream: str, envelopes: Sequence[Envelope], expected: ExpectedVersion
    ) -> AppendResult:
        result = await super().append(stream, envelopes, expected)
        self.left -= 1
        if self.left == 0 and self.task is not None:
            self.task.cancel()
            await asyncio.sleep(0)  # the cancellation lands here, right after the append
        return result


async def test_a_timer_killed_mid_tick_and_a_new_one_leave_no_duplicate_and_nothing_missed(
    repository: CaseRepository,
    settings: Settings,
    registry: PolicyRegistry,
    index: Index,
    tenant: str,
    pending: PendingErasures,
) -> None:
    cases = [await open_case(repository, tenant) for _ in range(5)]
    await index.caught_up(cases[-1][1])
    clock = Clock(YESTERDAY_DUE)
    killer = KillAfter(repository, appends=3)
    doomed = timer(killer, settings.database_url, registry, clock, pending)
    killer.task = asyncio.create_task(doomed.run())
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(killer.task, 30)
    before = [await timer_events(repository, case.stream) for case, _ in cases]
    assert sum(len(events) for events in before) == 3  # killed after the third append: the rest missed

    restarted = timer(repository, settings.database_url, registry, clock, pending)
    report = await restarted.tick()

    assert len(report.appended) == 10 - 3
    for case, _ in cases:
        assert await timer_events(repository, case.stream) == both(FIRST_CONTACT, FIRST_CONTACT_DUE)
    assert (await restarted.tick()).appended == []


async def test_a_timer_that_was_down_for_weeks_catches_up_on_every_term(
    repository: CaseRepository,
    settings: Settings,
    registry: PolicyRegistry,
    index: Index,
    tenant: str,
    pending: PendingErasures,
) -> None:
    judgement = started(DeadlineKind.JUDGEMENT, term=Term(amount=6, unit=TermUnit.WEEKS))
    case, result = await open_case(repository, tenant, started(), judgement)
    await index.caught_up(result)

    report = await timer(
        repository, settings.database_url, registry, Clock(at(date(2026, 6, 1))), pending
    ).tick()

    assert len(report.appended) == 4
    assert sorted(await timer_events(repository, case.stream)) == sorted(
        both(FIRST_CONTACT, FIRST_CONTACT_DUE) + both(DeadlineKind.JUDGEMENT, judgement.due_on)
    )
