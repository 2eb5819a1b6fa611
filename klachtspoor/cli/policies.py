"""CLI group ``policies``: list the procedure policies and check every file before it is deployed.

``klachtspoor policies check`` validates every ``policies/<id>/v<n>.yaml`` and the references between
policies and tenants; it prints every problem (not only the first) and exits with code 1 when there is one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from klachtspoor.policies import PolicyFileError, PolicyRegistry, check_directory
from klachtspoor.settings import get_settings
from klachtspoor.tenants import TenantFileError, TenantRegistry

app = typer.Typer(no_args_is_help=True)

DirOption = Annotated[
    Path | None, typer.Option("--dir", help="Policies directory (default: settings.policies_dir).")
]
TenantsOption = Annotated[
    Path | None, typer.Option("--tenants", help="Tenants file (default: settings.tenants_file).")
]


@app.command("list")
def list_policies(directory: DirOption = None) -> None:
    """One line per policy version: id, version, regime, order and the ladder."""
    try:
        registry = PolicyRegistry.from_directory(directory or get_settings().policies_dir)
    except PolicyFileError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    for policy in registry:
        ladder = " → ".join(step.value for step in policy.steps)
        typer.echo(f"{policy.id}\tv{policy.version}\t{policy.regime.value}\t{policy.order.value}\t{ladder}")


@app.command("check")
def check(directory: DirOption = None, tenants_file: TenantsOption = None) -> None:
    """Validate every policy file and the tenants' references to policies and confidant organisations."""
    settings = get_settings()
    directory = directory or settings.policies_dir
    try:
        tenants = TenantRegistry.from_file(tenants_file or settings.tenants_file)
    except TenantFileError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    problems = check_directory(directory, tenants)
    for problem in problems:
        typer.echo(problem, err=True)
    if problems:
        typer.echo(f"{len(problems)} problem(s) in {directory}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{len(PolicyRegistry.from_directory(directory))} policy file(s) in {directory} are valid")
