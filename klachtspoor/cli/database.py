"""The database URL a command needs, or a usage error (exit 2) that says how to set it."""

from __future__ import annotations

import typer

from klachtspoor.settings import get_settings

NOT_SET = "KLACHTSPOOR_DATABASE_URL is not set (or run `eval $(klachtspoor dev env)`)"


def database_url() -> str:
    url = get_settings().database_url
    if not url:
        typer.echo(NOT_SET, err=True)
        raise typer.Exit(2)
    return url
