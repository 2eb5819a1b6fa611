"""A read of personal data over HTTP is logged before it is answered: served with the names of what it
showed, refused with its status, and refused with 503 (nothing shown) when the log cannot be written."""

from __future__ import annotations

from uuid import uuid4

import pytest

from contracts.vocabulary import Role
from klachtspoor.accesslog import AccessLogUnavailable, AccessOutcome, AccessRecord
from klachtspoor.accesslog.memory import InMemoryAccessLog
from klachtspoor.auth import Principal
from klachtspoor.crypto.errors import CaseKeyMissing
from klachtspoor.eventstore.errors import StoreUnavailable
from klachtspoor.http.problems import Problem
from klachtspoor.http.reads import AccessLogging, logged_read
from tests.accesslog_examples import AT, FILE_ROUTE, TENANT

CASE = uuid4()
OFFICER = Principal.of("staff-17", {TENANT: frozenset({Role.COMPLAINTS_OFFICER, Role.AUDITOR})})
STRANGER = Principal.of("staff-99", {"elders": frozenset({Role.DIRECTOR})})


class BrokenLog(InMemoryAccessLog):
    async def _append(self, entry: AccessRecord) -> None:
        raise AccessLogUnavailable("Access log unavailable during record (ConnectionRefusedError)")


def logging_to(log: InMemoryAccessLog) -> AccessLogging:
    return AccessLogging(log, lambda: AT)


async def test_a_served_read_is_recorded_with_its_role_and_what_was_shown() -> None:
    log = InMemoryAccessLog()
    async with logged_read(logging_to(log), OFFICER, TENANT, CASE, FILE_ROUTE) as read:
        read.served(Role.COMPLAINTS_OFFICER, ("complainant", "description"))
    [entry] = await log.for_case(TENANT, CASE)
    assert (entry.subject, entry.role, entry.shown) == (
        "staff-17",
        Role.COMPLAINTS_OFFICER,
        ("complainant", "description"),
    )
    assert (entry.outcome, entry.status, entry.at, entry.channel) == (
        AccessOutcome.SERVED,
        200,
        AT,
        FILE_ROUTE,
    )


@pytest.mark.parametrize(
    ("principal", "error", "status", "role"),
    [
        (OFFICER, Problem(403, "Forbidden"), 403, Role.AUDITOR),
        (STRANGER, Problem(404, "Not found"), 404, None),
        (OFFICER, StoreUnavailable("event store down"), 503, Role.AUDITOR),
        (OFFICER, CaseKeyMissing("jeugdzorg-noord", "3f2a9c1e", "k1"), 500, Role.AUDITOR),
    ],
    ids=["forbidden", "foreign-tenant", "store-down", "unexpected"],
)
async def test_a_refused_read_is_recorded_and_the_refusal_stands(
    principal: Principal, error: Exception, status: int, role: Role | None
) -> None:
    log = InMemoryAccessLog()
    with pytest.raises(type(error)):
        async with logged_read(logging_to(log), principal, TENANT, CASE, FILE_ROUTE):
            raise error
    [entry] = await log.for_case(TENANT, CASE)
    assert (entry.outcome, entry.status, entry.shown, entry.role) == (AccessOutcome.REFUSED, status, (), role)


async def test_a_read_that_cannot_be_logged_is_refused_with_503() -> None:
    with pytest.raises(Problem) as refused:
        async with logged_read(logging_to(BrokenLog()), OFFICER, TENANT, CASE, FILE_ROUTE) as read:
            read.served(Role.COMPLAINTS_OFFICER, ("complainant",))
    assert refused.value.status == 503


async def test_a_route_that_does_not_say_what_it_served_is_a_bug_not_an_unlogged_read() -> None:
    log = InMemoryAccessLog()
    with pytest.raises(RuntimeError, match=r"read\.served"):
        async with logged_read(logging_to(log), OFFICER, TENANT, CASE, FILE_ROUTE):
            pass
    assert await log.for_case(TENANT, CASE) == []


async def test_a_subject_that_is_not_an_opaque_id_is_refused_before_anything_is_read() -> None:
    mail = Principal.of("jan@example.nl", {TENANT: frozenset({Role.COMPLAINTS_OFFICER})})
    with pytest.raises(Problem) as refused:
        async with logged_read(logging_to(InMemoryAccessLog()), mail, TENANT, CASE, FILE_ROUTE):
            pytest.fail("the read must not start")
    assert refused.value.status == 401
