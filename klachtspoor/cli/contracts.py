"""CLI group ``contracts``: export the JSON Schemas and print the event catalogue.

The work is done in :mod:`contracts.schema`; this module only writes files and prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contracts.schema import (
    SCHEMA_DIR,
    catalogue,
    catalogue_markdown,
    stale_schemas,
    with_catalogue,
    write_schemas,
)

app = typer.Typer(no_args_is_help=True)

DOCS_FILE = SCHEMA_DIR.parent.parent / "docs" / "contracts.md"


@app.command("export")
def export(
    out: Annotated[Path, typer.Option(help="Directory to write the schemas to.")] = SCHEMA_DIR,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; fail when the files are stale.")
    ] = False,
) -> None:
    """Write the JSON Schema of every event, command and the envelope (and refresh docs/contracts.md)."""
    if check:
        problems = stale_schemas(out)
        for problem in problems:
            typer.echo(problem, err=True)
        if problems:
            typer.echo("Schemas are stale: run `klachtspoor contracts export`", err=True)
            raise typer.Exit(1)
        typer.echo(f"Schemas in {out} are up to date")
        return
    changed = write_schemas(out)
    for path in changed:
        typer.echo(f"wrote {path}")
    if DOCS_FILE.exists():
        document = DOCS_FILE.read_text(encoding="utf-8")
        refreshed = with_catalogue(document)
        if refreshed != document:
            DOCS_FILE.write_text(refreshed, encoding="utf-8")
            typer.echo(f"updated the catalogue in {DOCS_FILE}")
    typer.echo(f"{len(changed)} schema file(s) changed in {out}")


@app.command("list")
def list_events(
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the catalogue as a Markdown table.")
    ] = False,
) -> None:
    """Print every event type with its current version and personal fields."""
    if markdown:
        typer.echo(catalogue_markdown(), nl=False)
        return
    for entry in catalogue():
        personal = ", ".join(entry.personal_fields) or "-"
        typer.echo(f"{entry.type:<32} v{entry.version:<3} {personal}")
