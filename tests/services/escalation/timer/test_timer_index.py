"""The due-date index on real PostgreSQL: rows derived from the case's events and pinned policy, moved by an
extension, absent while suspended, gone once the term is met, and the same after a rebuild."""

from __future__ import annotations

from datetime import UTC, date, datetime

import asyncpg
from timer_given import (
    FIRST_CONTACT,
    FIRST_CONTACT_DUE,
    FIRST_CONTACT_WARNING,
    Clock,
    Index,
    append,
    at,
    both,
    day_after,
    open_case,
    running_index,
    started,
    timer,
    timer_events,
)

from contracts.events import FirstContactMade, TermExtended, TermResumed, TermSuspended
from contracts.values import Term
from contracts.vocabulary import Channel, DeadlineKind, Role, SuspensionReason, TermUnit
from klachtspoor.bootstrap import Infrastructure
from klachtspoor.calendar import resume
from klachtspoor.cases import CaseRepository
from klachtspoor.policies import PolicyRegistry
from klachtspoor.settings import Settings
from services.escalation.adapters.timer_index import rebuild
from services.escalation.application.pending_erasures import PendingErasures

JUDGEMENT = DeadlineKind.JUDGEMENT
SIX_WEEKS = Term(amount=6, unit=TermUnit.WEEKS)
JUDGEMENT_DUE = date(2026, 4, 16)
JUDGEMENT_WARNING = date(2026, 4, 2)
EXTENDED_DUE = date(2026, 5, 7)


def contact_made() -> FirstContactMade:
    return FirstContactMade(by_role=Role.COMPLAINTS_OFFICER, channel=Channel.PHONE)


async def test_a_running_term_is_indexed_at_midnight_amsterdam_of_its_warning_and_after_its_due_date(
    repository: CaseRepository, index: Index, tenant: str
) -> None:
    case, result = await open_case(repository, tenant)
    await index.caught_up(result)

    [row] = await index.rows()

    assert (row.stream, row.tenant, row.case_id) == (case.stream, tenant, case.case_id)
    assert (row.row.deadline, row.row.due_on, row.row.warning_on) == (
        FIRST_CONTACT,
        FIRST_CONTACT_DUE,
        FIRST_CONTACT_WARNING,
    )
    assert row.row.warning_at == datetime(2026, 3, 5, 23, 0, tzinfo=UTC)  # 00:00 on 6 March, winter time
    assert row.row.breach_at == datetime(2026, 3, 9, 23, 0, tzinfo=UTC)  # 00:00 on 10 March
    assert row.row.next_at == row.row.warning_at


async def test_summer_time_moves_the_moment_by_an_hour(
    repository: CaseRepository, index: Index, tenant: str
) -> None:
    _, result = await open_case(repository, tenant, started(JUDGEMENT, term=SIX_WEEKS))
    await index.caught_up(result)

    [row] = await index.rows()

    assert row.row.due_on == JUDGEMENT_DUE
    assert row.row.breach_at == datetime(2026, 4, 16, 22, 0, tzinfo=UTC)  # 00:00 on 17 April, summer time


async def test_a_met_term_leaves_the_index(repository: CaseRepository, index: Index, tenant: str) -> None:
    case, _ = await open_case(repository, tenant)
    await index.caught_up(await append(repository, case, contact_made()))

    assert await index.rows() == []


async def test_an_extension_moves_the_due_date_and_no_breach_falls_on_the_old_one(
    repository: CaseRepository,
    settings: Settings,
    registry: PolicyRegistry,
    index: Index,
    tenant: str,
    pending: PendingErasures,
) -> None:
    case, result = await open_case(repository, tenant, started(JUDGEMENT, term=SIX_WEEKS))
    await index.caught_up(result)
    clock = Clock(at(JUDGEMENT_WARNING))
    loop = timer(repository, settings.database_url, registry, clock, pending)
    assert (await loop.tick()).appended == [(case.stream, "DeadlineWarningReached")]

    extended = TermExtended(
        deadline=JUDGEMENT,
        previous_due_on=JUDGEMENT_DUE,
        new_due_on=EXTENDED_DUE,
        reason="Later.",
    )
    await index.caught_up(await append(repository, case, extended))
    [row] = await index.rows()
    assert (row.row.due_on, row.row.warning_at is not None) == (EXTENDED_DUE, True)

    clock.now = at(day_after(JUDGEMENT_DUE))
    report = await loop.tick()
    assert all(event_type != "DeadlineBreached" for _, event_type in report.appended)
    clock.now = at(day_after(EXTENDED_DUE))
    await loop.tick()
    assert await timer_events(repository, case.stream) == [
        ("DeadlineWarningReached", JUDGEMENT, JUDGEMENT_DUE),
        *both(JUDGEMENT, EXTENDED_DUE),
    ]


async def test_a_suspended_term_is_not_breached_and_its_resumption_moves_the_due_date(
    repository: CaseRepository,
    settings: Settings,
    registry: PolicyRegistry,
    index: Index,
    tenant: str,
    pending: PendingErasures,
) -> None:
    case, _ = await open_case(repository, tenant, started(JUDGEMENT, term=SIX_WEEKS))
    suspended = TermSuspended(
        deadline=JUDGEMENT, reason=SuspensionReason.AWAITING_COMPLAINANT, suspended_on=date(2026, 4, 1)
    )
    await index.caught_up(await append(repository, case, suspended))
    assert await index.rows() == []

    clock = Clock(at(date(2026, 4, 30)))  # two weeks past the original due date
    loop = timer(repository, settings.database_url, registry, clock, pending)
    assert (await loop.tick()).appended == []

    resumed = TermResumed(deadline=JUDGEMENT, resumed_on=date(2026, 4, 29))
    await index.caught_up(await append(repository, case, resumed))
    [row] = await index.rows()
    moved = resume(JUDGEMENT_DUE, date(2026, 4, 1), date(2026, 4, 29), follows_atw=True).on
    assert row.row.due_on == moved == date(2026, 5, 18)  # 28 days on: Ascension, a decree day, a weekend
    await loop.tick()
    assert await timer_events(repository, case.stream) == [("DeadlineWarningReached", JUDGEMENT, moved)]


async def test_a_rebuild_from_the_start_of_the_log_gives_the_same_rows(
    repository: CaseRepository,
    settings: Settings,
    registry: PolicyRegistry,
    infrastructure: Infrastructure,
    index: Index,
    tenant: str,
    pending: PendingErasures,
) -> None:
    first, _ = await open_case(repository, tenant)
    both_terms, _ = await open_case(repository, tenant, started(), started(JUDGEMENT, term=SIX_WEEKS))
    met, _ = await open_case(repository, tenant)
    await append(repository, met, contact_made())
    judgement, result = await open_case(repository, tenant, started(JUDGEMENT, term=SIX_WEEKS))
    await index.caught_up(result)
    await timer(repository, settings.database_url, registry, Clock(at(FIRST_CONTACT_WARNING)), pending).tick()
    for case in (first, both_terms):
        await index.caught_up_with(case.stream)
    live = await index.rows()
    assert len(live) == 4  # two warned first-contact terms, two judgement terms; the met term has none
    assert sum(row.row.warning_at is None for row in live) == 2
    index.runner.stop()

    conn = await asyncpg.connect(settings.database_url)
    try:
        await rebuild(conn)
    finally:
        await conn.close()
    async with running_index(infrastructure.store, settings.database_url, registry) as replayed:
        for case in (first, both_terms, met, judgement):
            await replayed.caught_up_with(case.stream)
        assert await replayed.rows() == live
