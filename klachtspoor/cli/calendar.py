"""CLI group ``calendar``: due dates on the Dutch working-day calendar, for checking a case by hand.

``klachtspoor calendar add 2026-05-13 2wd`` prints the due date in ISO form; ``--explain`` adds the
reasoning (counting rule, Atw moves, decree warning). Bad input exits with code 2 and names the value.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from contracts.values import Term
from klachtspoor.calendar import CalendarRangeError, TermNotationError, add_term, holidays_of, parse_term
from klachtspoor.calendar.decrees import decree_covers

app = typer.Typer(no_args_is_help=True)


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise typer.BadParameter(f"not a date: {text!r} (expected YYYY-MM-DD, e.g. 2026-05-13)") from error


def _parse_term(text: str) -> Term:
    try:
        return parse_term(text)
    except TermNotationError as error:
        raise typer.BadParameter(str(error)) from error


@app.command("add")
def add_command(
    received: Annotated[
        date, typer.Argument(metavar="DATE", parser=_parse_date, help="Day of receipt, YYYY-MM-DD.")
    ],
    term: Annotated[
        Term,
        typer.Argument(
            metavar="TERM",
            parser=_parse_term,
            help="Term: 2wd, 10d, 4w, 6w, 1m, 1y or 24h (wd = working days).",
        ),
    ],
    explain: Annotated[bool, typer.Option("--explain", help="Print the reasoning too.")] = False,
    no_atw: Annotated[
        bool, typer.Option("--no-atw", help="A procedure-only term whose policy does not follow the Atw.")
    ] = False,
) -> None:
    """Print the due date of TERM for something received on DATE."""
    try:
        due = add_term(received, term, follows_atw=not no_atw)
    except CalendarRangeError as error:
        raise typer.BadParameter(str(error), param_hint="DATE") from error
    typer.echo(due.on.isoformat())
    if explain:
        for line in due.explanation:
            typer.echo(f"  {line}")
    elif due.decree_warning:
        years = ", ".join(str(year) for year in due.uncovered_years)
        typer.echo(f"warning: no decree of equated days covers {years} (see --explain)", err=True)


@app.command("holidays")
def holidays_command(
    year: Annotated[int, typer.Argument(help="Calendar year.")],
) -> None:
    """List the public holidays and decree days of YEAR that the calendar skips."""
    try:
        days = holidays_of(year)
    except CalendarRangeError as error:
        raise typer.BadParameter(str(error), param_hint="YEAR") from error
    for day, name in days.items():
        typer.echo(f"{day.isoformat()}  {name}")
    if not decree_covers(year):
        typer.echo(f"warning: no decree of equated days covers {year}; statutory holidays only", err=True)
