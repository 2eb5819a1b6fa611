"""CLI group ``dev``: run the development stack (``make dev``) and print its environment."""

from __future__ import annotations

import os
import shlex
import sys
import threading
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from klachtspoor_devtools.devstack.demo import seed_demo
from klachtspoor_devtools.devstack.demo_contacts import ORGANISATIONS, seed_contacts
from klachtspoor_devtools.devstack.errors import DevStackError
from klachtspoor_devtools.devstack.guide import guide as _guide
from klachtspoor_devtools.devstack.guide import service_url, wait_until_ready
from klachtspoor_devtools.devstack.stack import (
    DATA_DIR_VAR,
    DATABASE_VAR,
    MASTER_KEY_VAR,
    NATS_VAR,
    DevStack,
    Endpoints,
    child_processes,
    klachtspoor_command,
    master_key,
    run_migrations,
)
from klachtspoor_devtools.devstack.supervisor import ChildExit, Supervisor, Writer, stop_on_signals

app = typer.Typer(no_args_is_help=True, help="Run the embedded development stack.")

CHECK_SETTLE_SECONDS = 2.0
COLOURS = ("cyan", "magenta", "green", "yellow", "blue", "red")


@app.command()
def up(
    check: bool = typer.Option(
        False, "--check", help="Start everything, wait until ready, print where it runs, then stop."
    ),
    seed: bool = typer.Option(
        True, "--seed/--no-seed", help="File the demo tenant's demo cases (not with --check)."
    ),
) -> None:
    """Start PostgreSQL and NATS (unless configured), migrate, and run the relay and services."""
    # Wide when piped (CI logs), so URLs stay on one line and can be copied.
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    stop = threading.Event()
    try:
        with stop_on_signals(stop):
            ended = _run(
                console, DevStack(Path.cwd(), os.environ), stop, check=check, seed=seed and not check
            )
    except DevStackError as error:
        console.print(f"[bold red]dev stack: {error}[/]")
        raise typer.Exit(1) from error
    if ended is not None:
        console.print(f"[bold red]{ended.name} exited with code {ended.returncode}; stopped everything[/]")
        raise typer.Exit(1)
    console.print("stopped")


def _run(
    console: Console, stack: DevStack, stop: threading.Event, *, check: bool, seed: bool
) -> ChildExit | None:
    """Start servers, migrations and children; wait for a signal (or the check); stop in reverse."""
    supervisor = Supervisor([], write=_prefixed(console))
    began = time.monotonic()
    try:
        endpoints = stack.start()
        run_migrations(endpoints.database_url)
        planned = child_processes(klachtspoor_command(), endpoints.environment())
        supervisor = Supervisor(planned, write=_prefixed(console), state_file=stack.children_file)
        supervisor.start()
        ready = wait_until_ready(endpoints, stop, supervisor)
        console.print(_table(stack, endpoints, supervisor, time.monotonic() - began))
        if ready is not None:
            return ready
        console.print(_guide(endpoints), soft_wrap=True)
        if seed:
            _seed(console, endpoints)
        if check:
            ended = supervisor.wait(stop, timeout=CHECK_SETTLE_SECONDS)
            console.print(
                "check: the stack started and is ready; stopping" if ended is None else "check failed"
            )
            return ended
        console.print("running; Ctrl-C stops everything")
        return supervisor.wait(stop)
    finally:
        supervisor.stop()
        stack.stop()


def _seed(console: Console, endpoints: Endpoints) -> None:
    """The demo cases (docs/devstack.md, "Demo data"); a problem is shown, and the stack runs on."""
    private_key = (endpoints.jwt_public_key.parent / "private.pem").read_text()
    filed, problems = seed_demo(
        service_url(endpoints, "intake"), service_url(endpoints, "escalation"), private_key
    )
    console.print(f"demo data: {filed} cases in tenant demo (filed through intake and escalation)")
    contacts, refused = seed_contacts(service_url(endpoints, "escalation"), private_key)
    console.print(f"demo data: {contacts} confidant contacts on no case at {', '.join(ORGANISATIONS)}")
    problems += refused
    for problem in problems[:5]:
        console.print(f"[yellow]demo data: {problem}[/]")
    if len(problems) > 5:
        console.print(f"[yellow]demo data: {len(problems) - 5} more problems[/]")


@app.command()
def env() -> None:
    """Print `export KLACHTSPOOR_...` lines for the running dev stack (eval them in a shell)."""
    stack = DevStack(Path.cwd(), os.environ)
    database_url, nats_url = stack.running_endpoints()
    key = os.environ.get(MASTER_KEY_VAR) or master_key(stack.data_dir / "master.key")
    values = {DATABASE_VAR: database_url, NATS_VAR: nats_url, MASTER_KEY_VAR: key}
    values[DATA_DIR_VAR] = str(stack.data_dir)
    for name, value in values.items():
        if value is None:
            typer.echo(f"# {name}: the dev stack is not running; start it with `make dev`", err=True)
        else:
            typer.echo(f"export {name}={shlex.quote(value)}")
    if None in values.values():
        raise typer.Exit(1)


def _table(stack: DevStack, endpoints: Endpoints, supervisor: Supervisor, seconds: float) -> Table:
    table = Table(title="klachtspoor dev stack", caption=f"ready in {seconds:.1f} s")
    table.add_column("what")
    table.add_column("where", overflow="fold")
    table.add_column("pid", justify="right")
    postgres_pid = stack.postgres.pid if stack.postgres else None
    nats_pid = stack.nats.pid if stack.nats else None
    table.add_row("PostgreSQL", endpoints.database_url, _pid_or_configured(postgres_pid, DATABASE_VAR))
    table.add_row("NATS JetStream", endpoints.nats_url, _pid_or_configured(nats_pid, NATS_VAR))
    table.add_row("data dir", str(endpoints.data_dir), "")
    for name, pid in supervisor.pids.items():
        spec = next(spec for spec in supervisor.specs if spec.name == name)
        table.add_row(name, " ".join(spec.argv), str(pid))
    return table


def _pid_or_configured(pid: int | None, variable: str) -> str:
    return str(pid) if pid is not None else f"configured by {variable}"


def _prefixed(console: Console) -> Writer:
    """A writer that prints each child line after its name, one line at a time."""
    lock = threading.Lock()
    width = 10

    def write(name: str, line: str) -> None:
        colour = COLOURS[sum(name.encode()) % len(COLOURS)]
        with lock:
            console.print(Text.assemble((f"{name:>{width}} | ", colour), line), soft_wrap=True)

    return write


@app.command()
def token(
    grant: Annotated[
        list[str],
        typer.Option(
            "--grant",
            help="TENANT=ROLE[,ROLE...]: roles the token holds in that tenant (repeat for several tenants)",
        ),
    ],
    subject: Annotated[str, typer.Option(help="the token's subject id")] = "dev-user",
    hours: Annotated[
        int,
        typer.Option(
            min=1, help="hours until the token expires (at most KLACHTSPOOR_JWT_MAX_LIFETIME_SECONDS)"
        ),
    ] = 8,
) -> None:
    """Print a bearer token signed with the dev stack's key, accepted by the services of `make dev`.

    Roles are bound to tenants: `--grant demo=complaints_officer --grant other=care_worker` is a complaints
    officer in demo only."""
    from klachtspoor.auth.devkeys import ensure_dev_keys, mint_token
    from klachtspoor.settings import Settings

    try:
        tenant_roles = parse_grants(grant)
    except ValueError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from error
    cap = Settings().jwt_max_lifetime_seconds
    if hours * 3600 > cap:
        typer.echo(
            f"--hours {hours}: the services refuse tokens living longer than {cap // 3600} h", err=True
        )
        raise typer.Exit(2)
    private_key, _ = ensure_dev_keys(DevStack(Path.cwd(), os.environ).data_dir / "jwt")
    typer.echo(
        mint_token(
            private_key.read_text(), subject=subject, tenant_roles=tenant_roles, ttl_seconds=hours * 3600
        )
    )


def parse_grants(grants: list[str]) -> dict[str, list[str]]:
    """``["demo=a,b", "other=c"]`` as ``{"demo": ["a", "b"], "other": ["c"]}``; unknown roles refused."""
    from contracts.vocabulary import Role

    known = {member.value for member in Role}
    tenant_roles: dict[str, list[str]] = {}
    for item in grants:
        tenant, _, listed = item.partition("=")
        roles = [role.strip() for role in listed.split(",") if role.strip()]
        if not tenant.strip() or not roles:
            raise ValueError(f"--grant {item!r}: expected TENANT=ROLE[,ROLE...]")
        unknown = [role for role in roles if role not in known]
        if unknown:
            raise ValueError(
                f"unknown role(s): {', '.join(unknown)}; known: {', '.join(r.value for r in Role)}"
            )
        tenant_roles.setdefault(tenant.strip(), []).extend(roles)
    return tenant_roles
