"""The access log port, one suite run against each adapter (in memory and PostgreSQL), as the key store's.

What only PostgreSQL can show (triggers refusing UPDATE, DELETE and TRUNCATE through SQL, an unreachable
server) is at the end, on the PostgreSQL adapter alone.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest

from contracts.vocabulary import Role
from klachtspoor.accesslog import (
    AccessLog,
    AccessLogUnavailable,
    AccessRecord,
    AccessRecordConflict,
    InvalidAccessRecord,
)
from klachtspoor.accesslog.memory import InMemoryAccessLog
from klachtspoor.accesslog.postgres import PostgresAccessLog
from klachtspoor.pgconnect import Timeouts
from tests.accesslog_examples import CASE, OTHER_CASE, OTHER_TENANT, TENANT, record, refused

ACCESS_LOGS = ["memory", "postgres"]


@pytest.fixture(params=ACCESS_LOGS)
def accesslog_url(request: pytest.FixtureRequest) -> str | None:
    """None for the in-memory log; a new database for PostgreSQL (a synchronous fixture, so only the
    PostgreSQL runs pull in the database)."""
    return None if request.param == "memory" else str(request.getfixturevalue("database_url"))


@pytest.fixture
async def log(accesslog_url: str | None) -> AsyncIterator[AccessLog]:
    made: AccessLog = (
        InMemoryAccessLog() if accesslog_url is None else await PostgresAccessLog.open(accesslog_url)
    )
    yield made
    await made.close()


async def test_records_read_back_per_case_and_per_subject_in_recorded_order(log: AccessLog) -> None:
    # Recorded out of time order: the log keeps the order of recording, not of the given times.
    first = record(5, subject="staff-17")
    second = refused(1, subject="staff-99", role=Role.CARE_WORKER)
    third = record(3, subject="staff-17", case_id=OTHER_CASE, channel="cli:replay", status=None)
    fourth = record(2, subject="staff-99", shown=("description",))
    for entry in (first, second, third, fourth):
        await log.record(entry)
    assert await log.for_case(TENANT, CASE) == [first, second, fourth]
    assert await log.for_case(TENANT, OTHER_CASE) == [third]
    assert await log.for_subject(TENANT, "staff-17") == [first, third]
    assert await log.for_subject(TENANT, "staff-99") == [second, fourth]
    assert await log.for_subject(TENANT, "staff-1") == []


async def test_a_refusal_without_a_role_reads_back_without_one(log: AccessLog) -> None:
    stranger = refused(1, subject="staff-from-elsewhere", role=None, status=404)
    await log.record(stranger)
    assert await log.for_subject(TENANT, "staff-from-elsewhere") == [stranger]


async def test_a_retry_with_the_same_record_is_stored_once(log: AccessLog) -> None:
    entry = record()
    await log.record(entry)
    await log.record(entry)
    await log.record(AccessRecord.of(**entry.model_dump()))
    assert await log.for_case(TENANT, CASE) == [entry]


async def test_concurrent_retries_of_one_record_store_it_once(log: AccessLog) -> None:
    entry = record()
    await asyncio.gather(*(log.record(entry) for _ in range(8)))
    assert await log.for_case(TENANT, CASE) == [entry]


async def test_the_same_id_with_other_content_is_a_conflict_and_keeps_the_first(log: AccessLog) -> None:
    entry = record()
    await log.record(entry)
    for changed in (
        {"shown": ("description",)},
        {"subject": "staff-99"},
        {"outcome": "refused", "status": 403, "shown": ()},
        {"tenant": OTHER_TENANT},
    ):
        with pytest.raises(AccessRecordConflict, match=str(entry.record_id)):
            await log.record(AccessRecord.of(**(entry.model_dump() | changed)))
    assert await log.for_case(TENANT, CASE) == [entry]
    assert await log.for_case(OTHER_TENANT, CASE) == []


async def test_tenants_are_isolated(log: AccessLog) -> None:
    ours, theirs = record(subject="staff-17"), record(1, subject="staff-17", tenant=OTHER_TENANT)
    await log.record(ours)
    await log.record(theirs)
    assert await log.for_case(TENANT, CASE) == [ours]
    assert await log.for_case(OTHER_TENANT, CASE) == [theirs]
    assert await log.for_subject(OTHER_TENANT, "staff-17") == [theirs]
    assert await log.for_case("jeugdzorg-west", CASE) == []


async def test_a_record_that_skipped_validation_is_refused_and_nothing_is_written(log: AccessLog) -> None:
    good = record()
    for bad in (
        good.model_copy(update={"subject": ""}),
        good.model_copy(update={"at": good.at.replace(tzinfo=None)}),
        good.model_copy(update={"role": "superuser"}),
        good.model_copy(update={"shown": ("jan@example.nl",)}),
    ):
        with pytest.raises(InvalidAccessRecord):
            await log.record(bad)
    with pytest.raises(InvalidAccessRecord):
        await log.record({"record_id": good.record_id})  # type: ignore[arg-type]
    assert await log.for_case(TENANT, CASE) == []


async def test_a_closed_log_is_unavailable(log: AccessLog) -> None:
    await log.close()
    with pytest.raises(AccessLogUnavailable):
        await log.record(record())
    with pytest.raises(AccessLogUnavailable):
        await log.for_case(TENANT, CASE)
    with pytest.raises(AccessLogUnavailable):
        await log.for_subject(TENANT, "staff-17")


# PostgreSQL only: the log is append-only against SQL, and an unreachable server is an outage.


@pytest.fixture
async def postgres_log(database_url: str) -> AsyncIterator[PostgresAccessLog]:
    made = await PostgresAccessLog.open(database_url)
    yield made
    await made.close()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE accesslog.records SET subject = 'someone-else'",
        "DELETE FROM accesslog.records",
        "TRUNCATE accesslog.records",
        "TRUNCATE accesslog.records CASCADE",
    ],
)
async def test_sql_cannot_change_or_remove_a_record(
    postgres_log: PostgresAccessLog, database_url: str, statement: str
) -> None:
    entry = record()
    await postgres_log.record(entry)
    conn = await asyncpg.connect(database_url)
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match=r"accesslog\.records is append-only"):
            await conn.execute(statement)
    finally:
        await conn.close()
    assert await postgres_log.for_case(TENANT, CASE) == [entry]


async def test_an_unreachable_server_is_unavailable() -> None:
    unreachable = "postgresql://postgres@127.0.0.1:9/postgres"
    with pytest.raises(AccessLogUnavailable, match="connect"):
        await PostgresAccessLog.open(unreachable, timeouts=Timeouts(command=2.0, acquire=2.0))
