"""``klachtspoor erase TENANT CASE_ID``: the privacy officer erases a case from the command line.

It runs the same :class:`~services.escalation.application.erasure.ErasureWorkflow` as ``POST
…/commands/erase``, against the event store and key store directly (not through HTTP), with the operator's
subject id recorded as the actor in role ``privacy_officer``. The shared ``klachtspoor`` command may
import no service, so escalation registers this function under the ``klachtspoor.commands`` entry points
(``pyproject.toml``) and the command line loads it only when ``erase`` is run.

Exit codes: 0 erased (or nothing new: the same ``--command-id`` again); 1 refused (an unknown tenant or
case, a rule such as ``case_erased`` or ``retention_not_ended``) or a store away (run it again: the key is
shredded before the event is appended, so a second run completes the first); 2 bad input or settings.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID, uuid4

import typer
from pydantic import ValidationError

from contracts.commands import ErasePersonalData
from contracts.labels import label
from contracts.vocabulary import ErasureReason, Role
from klachtspoor.bootstrap import open_infrastructure
from klachtspoor.cases import CaseRepository, ConcurrencyExhausted
from klachtspoor.cli.database import database_url
from klachtspoor.crypto import KeyStoreUnavailable
from klachtspoor.eventstore.errors import StoreUnavailable
from klachtspoor.pgconnect import Timeouts
from klachtspoor.policies import PolicyRegistry
from klachtspoor.settings import Settings, get_settings
from klachtspoor.tenants import TenantRegistry, UnknownTenant
from services.escalation.adapters.pending_erasures import PostgresPendingErasures
from services.escalation.adapters.policies import PinnedPolicies
from services.escalation.application.erasure import ErasureWorkflow
from services.escalation.application.staff import CaseNotFound, IdempotencyKeyReused, StaffDecision
from services.escalation.domain import CommandRejected


def erase(
    tenant: Annotated[str, typer.Argument(help="Slug of the organisation (tenant).")],
    case_id: Annotated[UUID, typer.Argument(help="Id of the case.")],
    reason: Annotated[ErasureReason, typer.Option(help="Why the case is erased.")],
    actor: Annotated[
        str, typer.Option(help="Your subject id at the identity provider (recorded as privacy_officer).")
    ],
    request_reference: Annotated[
        str | None,
        typer.Option(help="The erasure request's number in the register (erasure_request only)."),
    ] = None,
    command_id: Annotated[
        UUID | None, typer.Option(help="Run exactly this command again (default: a new command).")
    ] = None,
) -> None:
    """Erase a case's personal data for good: its key is shredded and PersonalDataErased recorded."""
    database_url()
    settings = get_settings()
    try:
        command = ErasePersonalData.model_validate(
            {
                "command_id": command_id or uuid4(),
                "tenant": tenant,
                "case_id": case_id,
                "actor": {"id": actor, "role": Role.PRIVACY_OFFICER},
                "now": datetime.now(UTC),
                "reason": reason,
                "request_reference": request_reference,
            }
        )
    except ValidationError as error:
        fields = ", ".join(
            ".".join(str(p) for p in e["loc"]) or "(command)"
            for e in error.errors(include_input=False, include_url=False)
        )
        typer.echo(f"Ongeldige invoer: {fields}", err=True)
        raise typer.Exit(2) from error
    try:
        decision = asyncio.run(_run(settings, command))
    except (CaseNotFound, UnknownTenant, IdempotencyKeyReused) as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    except CommandRejected as error:
        typer.echo(f"Geweigerd ({error.rule.value}): {error.detail}", err=True)
        raise typer.Exit(1) from error
    except (StoreUnavailable, KeyStoreUnavailable, ConcurrencyExhausted) as error:
        typer.echo(f"{error}; voer het commando opnieuw uit", err=True)
        raise typer.Exit(1) from error
    done = "al eerder gewist (zelfde commando)" if decision.replayed else "gewist"
    typer.echo(
        f"Zaak {case_id} (tenant {tenant}) {done}: {label(reason)}, door {actor}; "
        f"versie {decision.version}, commando {decision.command_id}"
    )


async def _run(settings: Settings, command: ErasePersonalData) -> StaffDecision:
    TenantRegistry.from_settings(settings).get(command.tenant)
    policies = PinnedPolicies(PolicyRegistry.from_settings(settings))
    infrastructure = await open_infrastructure(settings, pool_size=2)
    try:
        pending = await PostgresPendingErasures.open(settings.database_url, timeouts=Timeouts.of(settings))
        try:
            repository = CaseRepository(infrastructure.store, infrastructure.codec)
            workflow = ErasureWorkflow(repository, infrastructure.codec.keyring, policies, pending)
            return await workflow.handle(command)
        finally:
            await pending.close()
    finally:
        await infrastructure.close()
