"""CLI group ``keys``: check the master keys, show the key versions, rotate the master key or a tenant key.

Rotation runs beside the live services and changes wrappings only (:mod:`klachtspoor.crypto.rotation`).
Every command checks the configured master keys against the stored tenant keys first, as the services do
at start, so a wrong key stops it before it touches anything. Step by step: ``docs/privacy.md``
("Rotating keys").
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import Progress, TaskID
from rich.table import Table

from klachtspoor.cli.bars import progress_bars
from klachtspoor.cli.database import database_url
from klachtspoor.crypto.errors import CryptoError
from klachtspoor.crypto.keyring import Keyring
from klachtspoor.crypto.postgres import PostgresKeyStore
from klachtspoor.crypto.rotation import rotate_master, rotate_tenant
from klachtspoor.pgconnect import Timeouts
from klachtspoor.secretfiles import SecretSettingError
from klachtspoor.settings import get_settings

app = typer.Typer(no_args_is_help=True)
rotate = typer.Typer(no_args_is_help=True)
app.add_typer(rotate, name="rotate", help="Rotate the master key or a tenant key while the services run.")

FAILED = 1
"""Exit status when the keys do not open, or the store fails: nothing was changed after the check."""

T = TypeVar("T")


class _Bar:
    """A rotation's progress as a rich bar on stderr (shown on a terminal only; stdout is the outcome)."""

    def __init__(self, progress: Progress) -> None:
        self._progress, self._task = progress, TaskID(-1)

    def start(self, description: str, total: int) -> None:
        self._task = self._progress.add_task(description, total=total)

    def advance(self, count: int) -> None:
        self._progress.advance(self._task, count)


def _progress() -> Progress:
    return progress_bars(Console(stderr=True))


def _run(work: Callable[[Keyring], Awaitable[T]]) -> T:
    """Open the key store, check the master keys, run ``work``; a key or store error exits 1 with its
    message (key ids, never key material)."""
    database_url()
    settings = get_settings()

    async def main() -> T:
        store = await PostgresKeyStore.open(settings.database_url, timeouts=Timeouts.of(settings))
        try:
            keyring = Keyring.from_settings(store, settings)
            await keyring.check_master_keys()
            return await work(keyring)
        finally:
            await store.close()

    try:
        return asyncio.run(main())
    except (CryptoError, SecretSettingError) as error:
        typer.echo(f"klachtspoor keys: {error}", err=True)
        raise typer.Exit(FAILED) from error


@app.command("check")
def check_command() -> None:
    """Check the configured master keys against every stored tenant key, as each service does at start."""

    async def check(keyring: Keyring) -> dict[str, int]:
        return await keyring.check_master_keys()

    wrapped_by = _run(check)
    masters = get_settings().master_keys()
    for key_id in masters.ids:
        role = "huidig" if key_id == masters.current.key_id else "vorig"
        typer.echo(f"hoofdsleutel {key_id} ({role}): {wrapped_by.get(key_id, 0)} tenantsleutel(s)")
    typer.echo("Alle tenantsleutels openen met de ingestelde hoofdsleutels.")


@app.command("status")
def status_command() -> None:
    """Every tenant key version: its id, the master key that wraps it, how many case keys it wraps."""

    async def rows(keyring: Keyring) -> list[tuple[str, str, str, str, str]]:
        found = []
        versions = await keyring.store.list_tenant_keys()
        for each in versions:
            master = each.key.parent_key_id
            role = "huidig" if master == keyring.masters.current.key_id else "vorig"
            cases = await keyring.store.count_case_keys_under(each.tenant, each.key.key_id)
            found.append((each.tenant, f"v{each.version}", each.key.key_id, f"{master} ({role})", str(cases)))
        return found

    table = Table("tenant", "versie", "tenantsleutel", "hoofdsleutel", "zaaksleutels")
    for row in _run(rows):
        table.add_row(*row)
    Console().print(table)


@rotate.command("master")
def rotate_master_command() -> None:
    """Re-wrap every tenant key under the current master key (KLACHTSPOOR_MASTER_KEY), unwrapping with the
    previous ones (KLACHTSPOOR_MASTER_KEYS_PREVIOUS). Idempotent: run it again after a kill."""

    async def work(keyring: Keyring) -> str:
        with _progress() as progress:
            result = await rotate_master(keyring, _Bar(progress))
        return (
            f"{result.rewrapped} tenantsleutel(s) opnieuw verpakt; alle {result.versions} staan onder "
            f"hoofdsleutel {result.master_key_id}. De vorige hoofdsleutel kan uit de instellingen."
        )

    typer.echo(_run(work))


@rotate.command("tenant")
def rotate_tenant_command(
    tenant: Annotated[str, typer.Argument(help="The tenant whose key rotates.")],
    batch: Annotated[int, typer.Option(min=1, max=10_000, help="Case keys re-wrapped per statement.")] = 500,
) -> None:
    """A new tenant key version; then every case key is re-wrapped under it in batches and the old version
    retired. If an earlier rotation of the tenant did not finish, this finishes it instead."""

    async def work(keyring: Keyring) -> str:
        with _progress() as progress:
            result = await rotate_tenant(keyring, tenant, batch=batch, progress=_Bar(progress))
        lines = [
            ("Nieuwe" if result.started else "Onafgemaakte rotatie afgemaakt; huidige")
            + f" tenantsleutel van {tenant}: v{result.current_version} ({result.current_key_id}).",
            f"{result.rewrapped} zaaksleutel(s) opnieuw verpakt.",
        ]
        if result.retired:
            lines.append("Buiten gebruik: " + ", ".join(f"v{v}" for v in result.retired) + ".")
        for version, cases in result.kept:
            lines.append(
                f"v{version} blijft: {cases} zaaksleutel(s) kwamen er tijdens de rotatie bij; "
                "draai het commando over een minuut opnieuw."
            )
        return "\n".join(lines)

    typer.echo(_run(work))
