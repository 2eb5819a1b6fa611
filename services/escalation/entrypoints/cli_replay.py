"""``klachtspoor replay TENANT CASE_ID [--as-of T] [--json] --actor SUBJECT``: a case as recorded by T.

For an auditor at the command line: the same use case and the same answer as ``GET …/history`` (``--json``
prints exactly the endpoint's JSON), read in the role ``auditor``. The shared ``klachtspoor`` command may
import no service, so escalation registers :func:`replay` under the ``klachtspoor.commands`` entry points
(``pyproject.toml``) and the command line loads it only when ``replay`` is run.

Every run that reaches the case leaves an access-log record first (channel ``cli:replay``, subject
``--actor``): served with what was shown, or refused with the status the endpoint would have answered
(404 unknown case, 422 bad moment, 503 store down, 500 pinned policy not loaded). When the record
cannot be written nothing is printed.
Exit codes: 0 shown, 1 not found or unavailable, 2 bad input (usage).
"""

from __future__ import annotations

import asyncio
import json
import re
from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID, uuid4

import typer
from pydantic import AwareDatetime, TypeAdapter, ValidationError
from rich.console import Console

from contracts.base import OPAQUE_ID_PATTERN, TENANT_PATTERN
from contracts.vocabulary import Role
from klachtspoor.accesslog import AccessLog, AccessLogError, AccessOutcome, AccessRecord
from klachtspoor.accesslog.postgres import PostgresAccessLog
from klachtspoor.bootstrap import open_infrastructure
from klachtspoor.cli.database import database_url
from klachtspoor.crypto.errors import KeyStoreUnavailable
from klachtspoor.eventstore.errors import StoreUnavailable
from klachtspoor.policies import PolicyRegistry
from klachtspoor.settings import get_settings
from services.escalation.adapters.policies import PinnedPolicies, PinnedPolicyMissing
from services.escalation.application.history import CaseReplay
from services.escalation.application.staff import CaseNotFound
from services.escalation.domain.history import CaseHistory, HistoryError
from services.escalation.entrypoints.replay_tables import render

CHANNEL = "cli:replay"
ROLE = Role.AUDITOR
_MOMENT = TypeAdapter(AwareDatetime)


class Refused(Exception):
    """A read refused with the status the endpoint answers, and the exit code the command ends with."""

    def __init__(self, status: int, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.status, self.message, self.exit_code = status, message, exit_code


def replay(
    tenant: Annotated[str, typer.Argument(help="Slug of the organisation (tenant).")],
    case_id: Annotated[UUID, typer.Argument(help="Id of the case.")],
    actor: Annotated[
        str, typer.Option("--actor", help="Your subject id at the identity provider (recorded in the log).")
    ],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="ISO 8601 moment with a time zone, e.g. 2026-03-05T10:00:00Z (default: now)."
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the history as JSON (as the endpoint).")
    ] = False,
) -> None:
    """A case as the events recorded by a moment showed it (for auditors; every run is logged)."""
    if not re.fullmatch(OPAQUE_ID_PATTERN, actor):
        raise typer.BadParameter(
            "expected an opaque subject id (letters, digits, _ . : -)", param_hint="--actor"
        )
    if not re.fullmatch(TENANT_PATTERN, tenant):
        raise typer.BadParameter(
            "expected a tenant slug (lower-case letters, digits, -)", param_hint="TENANT"
        )
    url = database_url()
    try:
        answer = asyncio.run(_logged_replay(url, tenant, case_id, as_of, actor))
    except Refused as refusal:
        typer.echo(refusal.message, err=True)
        raise typer.Exit(refusal.exit_code) from None
    if as_json:
        typer.echo(json.dumps(answer.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        Console().print(render(answer))


async def _logged_replay(url: str, tenant: str, case_id: UUID, as_of: str | None, actor: str) -> CaseHistory:
    try:
        log = await PostgresAccessLog.open(url)
    except AccessLogError as error:
        raise Refused(503, f"Access log unavailable, so nothing is shown: {error}", 1) from error
    try:
        now = datetime.now(UTC)
        try:
            answer = await _replay(tenant, case_id, as_of, now)
        except Refused as refusal:
            await _record(log, tenant, case_id, actor, now, refusal.status, ())
            raise
        await _record(log, tenant, case_id, actor, now, 200, answer.shown())
        return answer
    finally:
        await log.close()


async def _replay(tenant: str, case_id: UUID, as_of: str | None, now: datetime) -> CaseHistory:
    moment = now if as_of is None else _parse(as_of)
    settings = get_settings()
    try:
        infrastructure = await open_infrastructure(settings, pool_size=2)
    except (StoreUnavailable, KeyStoreUnavailable) as error:
        raise Refused(503, f"Event store unavailable: {error}", 1) from error
    try:
        policies = PinnedPolicies(PolicyRegistry.from_settings(settings))
        use_case = CaseReplay(infrastructure.store, infrastructure.codec, policies)
        return await use_case.replay(tenant, case_id, moment, now=now, role=ROLE)
    except CaseNotFound as error:
        raise Refused(404, str(error), 1) from error
    except HistoryError as error:
        raise Refused(422, f"--as-of: {error}", 2) from error
    except (StoreUnavailable, KeyStoreUnavailable) as error:
        raise Refused(503, f"Event store unavailable: {error}", 1) from error
    except PinnedPolicyMissing as error:
        raise Refused(500, f"Procedure policy not loaded: {error}", 1) from error
    finally:
        await infrastructure.close()


def _parse(text: str) -> datetime:
    try:
        return _MOMENT.validate_python(text)
    except ValidationError as error:
        messages = "; ".join(e["msg"] for e in error.errors(include_input=False, include_url=False))
        raise Refused(422, f"--as-of: {messages}", 2) from error


async def _record(
    log: AccessLog,
    tenant: str,
    case_id: UUID,
    actor: str,
    at: datetime,
    status: int,
    shown: tuple[str, ...],
) -> None:
    served = status < 400
    record = AccessRecord.of(
        record_id=uuid4(),
        tenant=tenant,
        case_id=case_id,
        subject=actor,
        role=ROLE,
        shown=shown,
        at=at,
        channel=CHANNEL,
        outcome=AccessOutcome.SERVED if served else AccessOutcome.REFUSED,
        status=status,
    )
    try:
        await log.record(record)
    except AccessLogError as error:
        raise Refused(503, f"Access log unavailable, so nothing is shown: {error}", 1) from error
