"""Every read of personal data over HTTP leaves one access-log record (NEN 7513) before it is answered.

A route that shows personal data wraps its work in :func:`logged_read`::

    async with logged_read(access, principal, tenant, case_id, CHANNEL) as read:
        authorize(...)                      # a refusal (Problem) is logged as refused, then raised
        view = ...
        read.served(role, view.shown())     # the role read in and the names of what is shown
    return view

On leaving the block the record is written: ``served`` with the names of the sections shown, or
``refused`` with the status of the :class:`~klachtspoor.http.problems.Problem`, or the status the shared
handlers answer any other error with (503 for a store that was unavailable, 500 for a bug), so even a
read that failed unexpectedly leaves its trace. When the record cannot be written the read is refused
with 503 and nothing is shown: an unlogged read is never served. The time comes from the injected clock;
the record id is new per read.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from contracts.base import OPAQUE_ID_PATTERN, TENANT_PATTERN
from contracts.vocabulary import Role
from klachtspoor.accesslog import AccessLog, AccessLogError, AccessOutcome, AccessRecord
from klachtspoor.auth import Principal
from klachtspoor.crypto.errors import CaseErased
from klachtspoor.http.problems import UNAVAILABLE, Problem

log = logging.getLogger("klachtspoor.http.reads")

Clock = Callable[[], datetime]
_OPAQUE_ID = re.compile(OPAQUE_ID_PATTERN)
_TENANT = re.compile(TENANT_PATTERN)


@dataclass(frozen=True)
class AccessLogging:
    """What a service needs to log reads: the log (once its lifespan opened it) and a clock."""

    log: AccessLog | None
    clock: Clock


@dataclass
class ReadInProgress:
    """Filled in by the route: the role it served the read in and the names of what it showed."""

    principal: Principal
    tenant: str
    role: Role | None = None
    shown: tuple[str, ...] | None = None

    def served(self, role: Role, shown: tuple[str, ...]) -> None:
        self.role, self.shown = role, shown


@asynccontextmanager
async def logged_read(
    access: AccessLogging, principal: Principal, tenant: str, case_id: UUID, channel: str
) -> AsyncIterator[ReadInProgress]:
    if not _OPAQUE_ID.fullmatch(principal.subject):
        raise Problem(401, "Invalid token", "The token's subject is not an opaque account id")
    if not _TENANT.fullmatch(tenant):
        raise Problem(404, "Not found", "No such tenant")  # no organisation has that name: nothing to trace
    read = ReadInProgress(principal, tenant)
    try:
        yield read
    except Problem as problem:
        await _write(access, read, case_id, channel, AccessOutcome.REFUSED, problem.status)
        raise
    except Exception as error:  # recorded, then re-raised to the shared handlers
        await _write(access, read, case_id, channel, AccessOutcome.REFUSED, _status_of(error))
        raise
    if read.role is None or read.shown is None:
        raise RuntimeError(f"{channel}: the route answered without saying what it served (read.served)")
    await _write(access, read, case_id, channel, AccessOutcome.SERVED, 200)


async def _write(
    access: AccessLogging,
    read: ReadInProgress,
    case_id: UUID,
    channel: str,
    outcome: AccessOutcome,
    status: int,
) -> None:
    served = outcome is AccessOutcome.SERVED
    record = AccessRecord.of(
        record_id=uuid4(),
        tenant=read.tenant,
        case_id=case_id,
        subject=read.principal.subject,
        role=read.role if read.role is not None else _some_role(read.principal, read.tenant),
        shown=read.shown if served and read.shown is not None else (),
        at=access.clock(),
        channel=channel,
        outcome=outcome,
        status=status,
    )
    if access.log is None:
        raise Problem(503, "Service unavailable", "The service is starting; retry in a moment")
    try:
        await access.log.record(record)
    except AccessLogError as error:
        log.error("Access log write failed for %s (%s: %s)", channel, type(error).__name__, error)
        raise Problem(
            503, "Access log unavailable", "This read cannot be logged right now, so it is not served; retry"
        ) from error


def _status_of(error: Exception) -> int:
    """The status the shared problem handlers answer ``error`` with (klachtspoor.http.problems)."""
    if isinstance(error, UNAVAILABLE):
        return 503
    if isinstance(error, CaseErased):
        return 410
    return 500


def _some_role(principal: Principal, tenant: str) -> Role | None:
    """For a refusal before a role was chosen: the first role held in the tenant, or none at all."""
    held = sorted(principal.roles_in(tenant), key=lambda role: role.value)
    return held[0] if held else None
