"""The end of the retention term: the timer erases the closed case (``retention_expired``) exactly once,
with two timers, and after a timer that failed between shredding the key and appending the event."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date

from timer_given import RECEIVED, Clock, Index, at, day_after, open_case, started, timer

from contracts.envelope import Envelope
from contracts.events import CaseClosed, PersonalDataErased, SignalReceived
from contracts.values import Term
from contracts.vocabulary import DeadlineKind, ErasureReason, Resolution, TermUnit
from klachtspoor.bootstrap import Infrastructure
from klachtspoor.cases import CaseRepository
from klachtspoor.eventstore.errors import StoreUnavailable
from klachtspoor.eventstore.port import AppendResult, ExpectedVersion
from klachtspoor.policies import PolicyRegistry
from klachtspoor.settings import Settings
from services.escalation.application.pending_erasures import PendingErasures

RETENTION = started(DeadlineKind.RETENTION, RECEIVED, Term(amount=2, unit=TermUnit.YEARS))
RETENTION_DUE = date(2028, 3, 5)
"""Two years after 5 March 2026; the demo policy counts retention without the Atw."""
ENDED = at(day_after(RETENTION_DUE))
WARNED = at(date(2027, 12, 1))
"""After the warning day (three quarters of the term), before its end."""


class FailingOnce(CaseRepository):
    """The store refuses the next append once: the timer dies between shredding and appending."""

    def __init__(self, inner: CaseRepository) -> None:
        super().__init__(inner.store, inner.codec)
        self.armed = True

    async def append(
        self, stream: str, envelopes: Sequence[Envelope], expected: ExpectedVersion
    ) -> AppendResult:
        if self.armed:
            self.armed = False
            raise StoreUnavailable("the event store went away (test)")
        return await super().append(stream, envelopes, expected)


async def closed_case(repository: CaseRepository, tenant: str) -> tuple[str, str, AppendResult]:
    case, result = await open_case(
        repository, tenant, CaseClosed(resolution=Resolution.RESOLVED_INFORMALLY), RETENTION
    )
    return case.stream, str(case.case_id), result


async def erasures(repository: CaseRepository, stream: str) -> list[Envelope]:
    return [e for e in (await repository.load(stream)).events if isinstance(e.event, PersonalDataErased)]


def test_assumptions() -> None:
    assert RETENTION.due_on == RETENTION_DUE


async def test_the_timer_erases_a_closed_case_when_its_retention_term_ends(
    repository: CaseRepository,
    infrastructure: Infrastructure,
    settings: Settings,
    registry: PolicyRegistry,
    index: Index,
    tenant: str,
    pending: PendingErasures,
) -> None:
    stream, case_id, result = await closed_case(repository, tenant)
    await index.caught_up(result)
    clock = Clock(at(RETENTION_DUE))
    loop = timer(repository, settings.database_url, registry, clock, pending)

    assert (await loop.tick()).appended == [(stream, "DeadlineWarningReached")]
    await index.caught_up_with(stream)
    assert not await infrastructure.keys.is_erased(tenant, case_id), "the due date itself still counts"
    clock.now = ENDED
    assert (await loop.tick()).appended == [(stream, "PersonalDataErased")]

    [erased] = await erasures(repository, stream)
    assert erased.event == PersonalDataErased(reason=ErasureReason.RETENTION_EXPIRED)
    assert erased.actor.id == "escalation-timer"
    assert await infrastructure.keys.is_erased(tenant, case_id)
    signal = (await repository.load(stream)).events[0].event
    assert isinstance(signal, SignalReceived) and signal.description == "[verwijderd]"
    assert "DeadlineBreached" not in [e.type for e in (await repository.load(stream)).events]
    await index.caught_up_with(stream)
    assert stream not in {row.stream for row in await index.rows()}
    assert (await loop.tick()).appended == []


async def test_two_timers_at_the_end_of_the_term_erase_once(
    repository: CaseRepository,
    settings: Settings,
    registry: PolicyRegistry,
    index: Index,
    tenant: str,
    pending: PendingErasures,
) -> None:
    cases = [await closed_case(repository, tenant) for _ in range(3)]
    await index.caught_up(cases[-1][2])
    clock = Clock(ENDED)
    first, second = (timer(repository, settings.database_url, registry, clock, pending) for _ in range(2))

    reports = await asyncio.gather(first.tick(), second.tick(), first.tick(), second.tick())

    assert sum(report.failed for report in reports) == 0
    for stream, _, _ in cases:
        assert len(await erasures(repository, stream)) == 1


async def test_a_timer_that_failed_after_shredding_is_completed_by_the_next_tick(
    repository: CaseRepository,
    infrastructure: Infrastructure,
    settings: Settings,
    registry: PolicyRegistry,
    index: Index,
    tenant: str,
    pending: PendingErasures,
) -> None:
    stream, case_id, result = await closed_case(repository, tenant)
    await index.caught_up(result)
    warned = await timer(repository, settings.database_url, registry, Clock(WARNED), pending).tick()
    assert warned.appended == [(stream, "DeadlineWarningReached")]
    await index.caught_up_with(stream)

    failing = await timer(
        FailingOnce(repository), settings.database_url, registry, Clock(ENDED), pending
    ).tick()
    assert (failing.failed, failing.appended) == (1, [])
    assert await infrastructure.keys.is_erased(tenant, case_id), "the key goes first"
    assert await erasures(repository, stream) == [], "no claim of erasure yet"

    after = await timer(repository, settings.database_url, registry, Clock(ENDED), pending).tick()
    assert after.appended == [(stream, "PersonalDataErased")]
    assert len(await erasures(repository, stream)) == 1
