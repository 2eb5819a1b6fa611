"""``klachtspoor notifications``: the parked notifications with what failed, an operator's retry, and the
bounces read from the mailbox they arrive in.

- ``parked [--tenant SLUG]``: every notification parked now (not retried since): id, tenant, reference,
  kind, recipient, channel, attempts, when, and the recorded reason (reply codes, exception types, a
  bounce's status; never an address).
- ``retry NOTIFICATION_ID --actor STAFF_ID``: records ``NotificationRetryRequested`` (the operator as
  actor, role ``administrator``); the running notify service makes the attempt and sends the mail once.
  A notification that is not parked (sent, waiting for a retry, or retried already) is refused.
- ``bounces [--dir DIR]``: reads the mailbox (a Maildir with ``new/`` and ``cur/``, or a folder of
  ``.eml`` files such as the dev stack's ``.dev/mail``; ``KLACHTSPOOR_MAIL_BOUNCES_DIR``) and records each
  bounce once. Run it from cron or a systemd timer; reading the same mailbox again records nothing.

Registered under the ``klachtspoor.commands`` entry points (the shared command imports no service).
Exit codes: 0 done; 1 unknown notification or not parked; 2 bad settings.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, TypeVar
from uuid import UUID

import typer
from rich.console import Console
from rich.table import Table

from contracts.base import Actor
from contracts.vocabulary import Role
from klachtspoor.bootstrap import Infrastructure, open_infrastructure
from klachtspoor.cases import CaseRepository
from klachtspoor.cli.database import database_url
from services.notify.adapters.mailbox import read_mailbox
from services.notify.application.operator import (
    BounceReading,
    ParkedNotification,
    parked_notifications,
    record_bounces,
    retry_parked,
)
from services.notify.domain.decider import NotParked, UnknownNotification
from services.notify.settings import NotifySettings

notifications = typer.Typer(
    no_args_is_help=True, help="Notifications: the parked ones, retrying them, bounces from the mailbox."
)
T = TypeVar("T")


@notifications.command("parked")
def parked_command(
    tenant: Annotated[str | None, typer.Option(help="Only this tenant's notifications (slug).")] = None,
) -> None:
    """The parked notifications, oldest first, with what failed."""
    parked = _run(lambda infra, repo: parked_notifications(infra.store, repo, tenant))
    console = Console()
    if not parked:
        console.print("Geen geparkeerde berichten.")
        return
    console.print(_table(parked))


@notifications.command("retry")
def retry_command(
    notification_id: Annotated[UUID, typer.Argument(help="The notification's id (from `parked`).")],
    actor: Annotated[str, typer.Option(help="Your staff id (recorded as the actor of the retry).")],
) -> None:
    """Try a parked notification again: the running notify service sends it (once)."""
    who = Actor(id=actor, role=Role.ADMINISTRATOR)
    now = datetime.now(UTC)
    try:
        stream = _run(lambda infra, repo: retry_parked(infra.store, repo, notification_id, who, now))
    except (NotParked, UnknownNotification) as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    typer.echo(f"Opnieuw verzenden gevraagd: {notification_id} ({stream}); notify verzendt het.")


@notifications.command("bounces")
def bounces_command(
    directory: Annotated[
        Path | None, typer.Option("--dir", help="The mailbox (default KLACHTSPOOR_MAIL_BOUNCES_DIR).")
    ] = None,
) -> None:
    """Record the bounces in the mailbox as failed notifications (each once)."""
    mailbox = directory or NotifySettings().mail_bounces_dir
    if not mailbox.is_dir():
        typer.echo(f"No mailbox at {mailbox}", err=True)
        raise typer.Exit(2)
    now = datetime.now(UTC)
    reading: BounceReading = _run(
        lambda infra, repo: record_bounces(infra.store, repo, read_mailbox(mailbox), now)
    )
    for notification_id in reading.recorded:
        typer.echo(f"Onbestelbaar vastgelegd: {notification_id}")
    for notification_id in reading.unknown:
        typer.echo(f"Onbekend bericht in een onbestelbaarmelding: {notification_id}", err=True)
    typer.echo(
        f"{len(reading.recorded)} nieuw, {len(reading.already_recorded)} al vastgelegd, "
        f"{len(reading.unknown)} onbekend, {reading.not_bounces} andere berichten"
    )


def _run(action: Callable[[Infrastructure, CaseRepository], Awaitable[T]]) -> T:
    database_url()
    settings = NotifySettings()

    async def main() -> T:
        infrastructure = await open_infrastructure(settings, pool_size=1)
        try:
            return await action(infrastructure, CaseRepository(infrastructure.store, infrastructure.codec))
        finally:
            await infrastructure.close()

    return asyncio.run(main())


def _table(parked: list[ParkedNotification]) -> Table:
    table = Table()
    table.add_column("notification id", no_wrap=True, min_width=36)
    for column in ("tenant", "reference", "kind", "recipient", "channel", "attempts", "parked at", "reason"):
        table.add_column(column, overflow="fold")
    for p in parked:
        table.add_row(
            str(p.notification_id),
            p.tenant,
            p.reference or "",
            p.kind,
            p.recipient,
            p.channel,
            str(p.attempts),
            p.parked_at.isoformat(timespec="seconds"),
            p.reason,
        )
    return table
