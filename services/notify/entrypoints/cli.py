"""``klachtspoor letters list`` and ``klachtspoor letters printed NOTIFICATION_ID``: the operator's side of
letters on paper (channel ``letter``).

Notify puts each letter on paper as a PDF in the print queue, ``KLACHTSPOOR_LETTERS_DIR/<tenant>/to-print/``
(default ``.dev/letters``). The operator prints the PDFs from there (any printer, the PDF is the letter as
it goes in a window envelope), then marks each printed: that records ``NotificationSent`` (channel
``letter``) on the case, once, and moves the PDF and its JSON to ``printed/``. Registered under the
``klachtspoor.commands`` entry points (the shared command imports no service).

Exit codes: 0 done; 1 the letter is not in the queue, or its case does not know it; 2 bad settings.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

import typer

from klachtspoor.bootstrap import open_infrastructure
from klachtspoor.cases import CaseRepository
from klachtspoor.cli.database import database_url
from services.notify.adapters.print_queue import PrintQueue, QueuedLetter, UnknownLetter
from services.notify.application.printing import NotAQueuedLetter, mark_printed
from services.notify.settings import NotifySettings

letters = typer.Typer(no_args_is_help=True, help="Letters on paper: the print queue per tenant.")


@letters.command("list")
def list_letters(
    tenant: Annotated[str | None, typer.Option(help="Only this tenant's letters (slug).")] = None,
) -> None:
    """The letters waiting to be printed: notification id, tenant, reference, kind, recipient, PDF."""
    queue = PrintQueue(NotifySettings().letters_dir)
    waiting = queue.waiting(tenant)
    if not waiting:
        typer.echo("Geen brieven om te printen.")
        return
    for letter, path in waiting:
        typer.echo(
            f"{letter.notification_id}  {letter.tenant}  {letter.reference}  {letter.kind}  "
            f"{letter.recipient}  {path}"
        )


@letters.command("printed")
def printed_command(
    notification_id: Annotated[UUID, typer.Argument(help="The letter's notification id (from `list`).")],
) -> None:
    """Record a printed letter as sent (NotificationSent, channel letter) and move it to printed/."""
    database_url()
    settings = NotifySettings()
    try:
        letter = asyncio.run(_mark(settings, notification_id))
    except (UnknownLetter, NotAQueuedLetter) as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    typer.echo(f"Verzonden vastgelegd: {letter.reference} {letter.kind} aan {letter.recipient}")


async def _mark(settings: NotifySettings, notification_id: UUID) -> QueuedLetter:
    infrastructure = await open_infrastructure(settings, pool_size=1)
    try:
        repository = CaseRepository(infrastructure.store, infrastructure.codec)
        queue = PrintQueue(settings.letters_dir)
        return await mark_printed(repository, queue, notification_id, datetime.now(UTC))
    finally:
        await infrastructure.close()
