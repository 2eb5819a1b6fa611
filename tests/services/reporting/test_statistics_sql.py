"""The figures aggregated in SQL equal the pure ``figures()`` over the same case facts, on random facts
(hypothesis), for every period and dimension, and for one year, quarter and dimension at a time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from uuid import uuid4

import asyncpg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.vocabulary import Category, Channel, DeadlineKind, EscalationStep
from services.reporting.adapters.facts import save_facts
from services.reporting.adapters.figures_sql import aggregated_figures
from services.reporting.adapters.schema import apply_schema
from services.reporting.domain.facts import CaseFacts
from services.reporting.domain.figures import Dimension, Figures, figures
from services.reporting.domain.tables import Period

OUTCOMES = st.sampled_from([None, "upheld", "rejected", "withdrawn", "inadmissible:older_than_one_year"])


@st.composite
def case_facts(draw: st.DrawFn) -> CaseFacts:
    first = date(2025, 1, 1) + timedelta(days=draw(st.integers(0, 600)))
    received = draw(st.one_of(st.none(), st.just(first)))
    ended = draw(st.one_of(st.none(), st.integers(0, 90).map(lambda n: first + timedelta(days=n))))
    return CaseFacts(
        tenant=draw(st.sampled_from(["t1", "t2"])),
        case_id=uuid4(),
        version=draw(st.integers(0, 20)),
        first_seen_on=first,
        received_on=received,
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


def only(result: Figures, tenant: str) -> Figures:
    return Figures(
        tuple(f for f in result.counts if f.tenant == tenant),
        tuple(h for h in result.handling_times if h.tenant == tenant),
    )


@pytest.fixture
async def conn(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    opened = await asyncpg.connect(database_url)
    await apply_schema(opened)
    yield opened
    await opened.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(facts=st.lists(case_facts(), max_size=40))
async def test_sql_figures_equal_the_pure_function(conn: asyncpg.Connection, facts: list[CaseFacts]) -> None:
    async with conn.transaction():
        await conn.execute("DELETE FROM reporting.case_facts")
        for each in facts:
            await save_facts(conn, each)
        assert await aggregated_figures(conn, "t1") == only(figures(facts), "t1")
        year = Period(2025, None)
        in_year = [f for f in facts if f.period_day.year == 2025 and f.tenant == "t1"]
        by_year = await aggregated_figures(conn, "t1", days=year.days, dimension=Dimension.CATEGORY)
        pure = figures(in_year)
        assert by_year.handling_times == pure.handling_times
        assert by_year.counts == tuple(f for f in pure.counts if f.dimension is Dimension.CATEGORY)
        quarter = Period(2026, 2)
        start, end = quarter.days
        in_quarter = [f for f in facts if start <= f.period_day < end and f.tenant == "t2"]
        assert await aggregated_figures(conn, "t2", days=quarter.days) == figures(in_quarter)
        await conn.execute("DELETE FROM reporting.case_facts")


async def test_rows_without_handling_days_fall_back_to_the_pure_function(conn: asyncpg.Connection) -> None:
    ended = CaseFacts(
        tenant="t1", case_id=uuid4(), version=3, first_seen_on=date(2026, 3, 2), ended_on=date(2026, 3, 6)
    )
    await save_facts(conn, ended)
    await conn.execute("UPDATE reporting.case_facts SET handling_days = NULL")
    result = await aggregated_figures(conn, "t1")
    assert result == figures([ended])
    assert [(h.period, h.median) for h in result.handling_times] == [("2026", 4.0), ("2026-Q1", 4.0)]


async def test_the_90th_percentile_is_the_nearest_rank_at_ten_and_seventy_cases(
    conn: asyncpg.Connection,
) -> None:
    # 0.9 * 70 is 63.000000000000007 in floating point: a percentile_disc would take rank 64, not 63.
    for cases in (10, 70):
        await conn.execute("DELETE FROM reporting.case_facts")
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
            await save_facts(conn, each)
        result = await aggregated_figures(conn, "t1")
        assert result == figures(facts)
