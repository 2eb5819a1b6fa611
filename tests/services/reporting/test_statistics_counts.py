"""The stored counts equal the pure ``figures()`` over the case facts: on random histories of random
facts (hypothesis) kept as the live handler keeps them, for every period and dimension and one period
and dimension at a time; after a rebuild's :func:`count_records`; and for a row from before handling days
were stored."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import date, timedelta
from uuid import uuid4

import asyncpg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.vocabulary import Category, Channel, DeadlineKind, EscalationStep
from services.reporting.adapters import bulk, counts
from services.reporting.adapters.facts import load_stored, save_facts
from services.reporting.adapters.schema import apply_schema
from services.reporting.domain.facts import CaseFacts
from services.reporting.domain.figures import Dimension, Figures, change, figures

OUTCOMES = st.sampled_from([None, "upheld", "rejected", "withdrawn", "inadmissible:older_than_one_year"])
YEAR_2025 = ("2025", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4")


@st.composite
def case_facts(draw: st.DrawFn) -> CaseFacts:
    first = date(2025, 1, 1) + timedelta(days=draw(st.integers(0, 600)))
    received = draw(st.one_of(st.none(), st.just(first + timedelta(days=draw(st.integers(0, 100))))))
    ended = draw(st.one_of(st.none(), st.integers(0, 90).map(lambda n: first + timedelta(days=n))))
    return CaseFacts(
        tenant=draw(st.sampled_from(["t1", "t2"])),
        case_id=uuid4(),
        version=draw(st.integers(0, 20)),
        first_seen_on=first,
        received_on=received if received is None or ended is None or received <= ended else ended,
        categories=draw(st.frozensets(st.sampled_from(list(Category)), max_size=3)),
        channel=draw(st.one_of(st.none(), st.sampled_from(list(Channel)))),
        highest_step=draw(st.one_of(st.none(), st.sampled_from(list(EscalationStep)))),
        outcome=draw(OUTCOMES),
        ended_on=ended,
        closed=draw(st.booleans()),
        measures_taken=draw(st.one_of(st.none(), st.booleans())),
        terms_met=draw(st.frozensets(st.sampled_from(list(DeadlineKind)), max_size=3)),
        terms_breached=draw(st.frozensets(st.sampled_from(list(DeadlineKind)), max_size=2)),
    )


@st.composite
def histories(draw: st.DrawFn) -> list[list[CaseFacts]]:
    """Cases, each as the facts it had one after the other (same tenant, id and first day: a case's
    first event does not move; anything else may change)."""
    cases = []
    for first in draw(st.lists(case_facts(), max_size=25)):
        later = draw(st.lists(case_facts(), max_size=3))
        cases.append(
            [
                first,
                *(
                    dataclasses.replace(
                        f, tenant=first.tenant, case_id=first.case_id, first_seen_on=first.first_seen_on
                    )
                    for f in later
                ),
            ]
        )
    return cases


def only(result: Figures, tenant: str, periods: tuple[str, ...] | None = None) -> Figures:
    return Figures(
        tuple(f for f in result.counts if f.tenant == tenant and (periods is None or f.period in periods)),
        tuple(
            h
            for h in result.handling_times
            if h.tenant == tenant and (periods is None or h.period in periods)
        ),
    )


async def keep(conn: asyncpg.Connection, facts: CaseFacts) -> None:
    """What the statistics handler does with a case's new facts."""
    stored = await load_stored(conn, facts.tenant, facts.case_id)
    before, days_before = (None, None) if stored is None else stored
    await save_facts(conn, facts)
    await counts.add_change(conn, facts.tenant, change(before, facts, days_before=days_before))


@pytest.fixture
async def conn(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    opened = await asyncpg.connect(database_url)
    await apply_schema(opened)
    yield opened
    await opened.close()


async def empty(conn: asyncpg.Connection) -> None:
    await conn.execute("DELETE FROM reporting.case_facts")
    await conn.execute(f"DELETE FROM {counts.FIGURE_COUNTS}")
    await conn.execute(f"DELETE FROM {counts.HANDLING_COUNTS}")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cases=histories())
async def test_counts_kept_case_by_case_equal_the_pure_function(
    conn: asyncpg.Connection, cases: list[list[CaseFacts]]
) -> None:
    async with conn.transaction():
        await empty(conn)
        for history in cases:
            for facts in history:
                await keep(conn, facts)
        final = [history[-1] for history in cases]
        pure = figures(final)
        assert await counts.read_figures(conn, "t1") == only(pure, "t1")
        by_year = await counts.read_figures(conn, "t1", periods=YEAR_2025, dimension=Dimension.CATEGORY)
        year = only(pure, "t1", YEAR_2025)
        assert by_year.handling_times == year.handling_times
        assert by_year.counts == tuple(f for f in year.counts if f.dimension is Dimension.CATEGORY)
        assert await counts.read_figures(conn, "t2", periods=("2026-Q2",)) == only(pure, "t2", ("2026-Q2",))
        await empty(conn)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(facts=st.lists(case_facts(), max_size=30))
async def test_a_rebuilds_count_records_equal_the_pure_function(
    conn: asyncpg.Connection, facts: list[CaseFacts]
) -> None:
    async with conn.transaction():
        await empty(conn)
        cells, days = counts.count_records(facts)
        await bulk.copy_rows(conn, counts.FIGURE_COUNTS, counts.FIGURE_COLUMNS, cells)
        await bulk.copy_rows(conn, counts.HANDLING_COUNTS, counts.HANDLING_COLUMNS, days)
        assert await counts.read_figures(conn, "t2") == only(figures(facts), "t2")
        await empty(conn)


async def test_a_row_without_handling_days_is_read_from_the_facts_until_it_moves(
    conn: asyncpg.Connection,
) -> None:
    await empty(conn)
    ended = CaseFacts(
        tenant="t1", case_id=uuid4(), version=3, first_seen_on=date(2026, 3, 2), ended_on=date(2026, 3, 6)
    )
    await keep(conn, ended)
    await conn.execute("UPDATE reporting.case_facts SET handling_days = NULL")
    await conn.execute(f"DELETE FROM {counts.HANDLING_COUNTS}")  # as migration 014 leaves such a row
    result = await counts.read_figures(conn, "t1")
    assert result == figures([ended])
    assert [(h.period, h.median) for h in result.handling_times] == [("2026", 4.0), ("2026-Q1", 4.0)]
    later = dataclasses.replace(ended, version=4, ended_on=date(2026, 3, 9))
    await keep(conn, later)  # taken off as counted (not at all), added with its days: no negative count
    assert await counts.read_figures(conn, "t1") == figures([later])
    await empty(conn)


async def test_the_90th_percentile_is_the_nearest_rank_at_ten_and_seventy_cases(
    conn: asyncpg.Connection,
) -> None:
    # 0.9 * 70 is 63.000000000000007 in floating point: a percentile_disc would take rank 64, not 63.
    for cases in (10, 70):
        await empty(conn)
        facts = [
            CaseFacts(
                tenant="t1",
                case_id=uuid4(),
                version=1,
                first_seen_on=date(2026, 1, 5),
                ended_on=date(2026, 1, 5) + timedelta(days=n),
            )
            for n in range(1, cases + 1)
        ]
        for each in facts:
            await keep(conn, each)
        assert await counts.read_figures(conn, "t1") == figures(facts)
    await empty(conn)


async def test_taking_off_what_was_never_counted_fails_the_write(conn: asyncpg.Connection) -> None:
    await empty(conn)
    facts = CaseFacts(tenant="t1", case_id=uuid4(), version=1, first_seen_on=date(2026, 1, 5))
    upheld = change(facts, dataclasses.replace(facts, version=2, outcome="upheld"))
    with pytest.raises(counts.CountsDiverged, match=r"\('2026', 'outcome', 'open'\).*Tenant: t1"):
        await counts.add_change(conn, "t1", upheld)
    await keep(conn, facts)
    await counts.add_change(conn, "t1", upheld)
    with pytest.raises(asyncpg.CheckViolationError):  # the count of `open` is 0 now: not below it
        await counts.add_change(conn, "t1", upheld)
    await empty(conn)
