"""Entry point of the ``klachtspoor`` command. Each group lives in its own module of this package.

Other installed distributions may add groups through the ``klachtspoor.commands`` entry-point group
(``name = "package.module:typer_app"``): the dev tools add ``dev`` and ``bench`` that way, so those
commands exist where the dev tools are installed and not in the production image. An entry may also name
a plain function, which becomes one command of that name: escalation adds ``erase`` so, because the
command runs escalation's own erasure workflow and this package may import no service. They are looked
up only when the command line lists or runs them, never when this module is imported.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING, cast

import typer
from typer.core import TyperGroup

from klachtspoor.cli import (
    accesslog,
    anchor,
    calendar,
    contracts,
    eventstore,
    keys,
    parked,
    policies,
    projections,
    relay,
    verify,
)

if TYPE_CHECKING:  # typer's own copy of click, which its groups are built on
    from typer._click import Command, Context

COMMANDS_GROUP = "klachtspoor.commands"


@cache
def registered_groups() -> dict[str, EntryPoint]:
    """The command groups other distributions register, by name."""
    return {entry.name: entry for entry in entry_points(group=COMMANDS_GROUP)}


def _click_group(name: str, entry: EntryPoint) -> Command:
    """The group exactly as ``app.add_typer(sub_app, name=name)`` would have built it, or for a function
    the command exactly as ``app.command(name)(function)`` would have."""
    target = entry.load()
    holder = typer.Typer(add_completion=False)
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    elif callable(target) and not isinstance(target, type):
        holder.command(name)(cast(Callable[..., None], target))
        holder.callback()(_no_options)  # a holder with a callback stays a group, so its command is named
    else:
        raise TypeError(
            f"Entry point {entry.value} ({COMMANDS_GROUP}: {name}) is neither a typer.Typer nor a function"
        )
    return cast(TyperGroup, typer.main.get_command(holder)).commands[name]


def _no_options() -> None:
    """The callback of a holder group: no options of its own."""


class Groups(TyperGroup):
    """The built-in groups, then the registered ones (sorted by name), each loaded on first use."""

    def list_commands(self, ctx: Context) -> list[str]:
        built_in = super().list_commands(ctx)
        return [*built_in, *(name for name in sorted(registered_groups()) if name not in built_in)]

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        entry = registered_groups().get(cmd_name)
        if cmd_name not in self.commands and entry is not None:
            self.add_command(_click_group(cmd_name, entry), cmd_name)
        return super().get_command(ctx, cmd_name)


app = typer.Typer(
    cls=Groups,
    no_args_is_help=True,
    help="klachtspoor: complaint handling for youth-care networks.",
)
app.add_typer(contracts.app, name="contracts", help="Event and command contracts.")
app.add_typer(parked.app, name="parked", help="Events parked by a subscription after an error.")
app.add_typer(projections.app, name="projections", help="Projections: list them, rebuild them while running.")
app.add_typer(relay.app, name="relay", help="Relay committed events to NATS JetStream.")
app.add_typer(calendar.app, name="calendar", help="Due dates on the Dutch working-day calendar (Atw).")
app.add_typer(policies.app, name="policies", help="Procedure policies: list them, check every file.")
app.add_typer(accesslog.app, name="access-log", help="Who looked at which case and what they saw (NEN 7513).")
app.add_typer(eventstore.app, name="eventstore", help="Moving the event store into EventStoreDB.")
app.add_typer(anchor.app, name="anchor", help="Anchors over the global log: record one now, export them all.")
app.add_typer(keys.app, name="keys", help="Master and tenant keys: check them, show them, rotate them.")
app.command("verify")(verify.verify_command)
