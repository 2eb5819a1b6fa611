"""``klachtspoor verify``: are the hash chains intact, and does the log still match exported anchors?

For an auditor or an operator (docs/integrity.md, "How an auditor verifies a case"). Reads the bare
adapter (what is stored), checks one case, a tenant or the whole log, and names the first broken link.
Exit codes: 0 intact, 1 a break was found, 2 wrong usage, 3 the store or the anchor file could not be read.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress

from klachtspoor.bootstrap import open_adapter
from klachtspoor.cli.bars import progress_bars
from klachtspoor.eventstore.errors import EventStoreError, InvalidStreamName
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.integrity.anchors import Anchor, parse_lines
from klachtspoor.integrity.audit import Report, check_log, check_stream
from klachtspoor.settings import get_settings

INTACT, BROKEN, USAGE, UNREADABLE = 0, 1, 2, 3


def verify_command(
    tenant: Annotated[str | None, typer.Option(help="Check only this organisation's streams.")] = None,
    case: Annotated[str | None, typer.Option(help="Check only this case's stream (needs --tenant).")] = None,
    anchors: Annotated[
        Path | None, typer.Option(help="Exported anchors (JSON lines) to check the whole log against.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome as JSON.")] = False,
) -> None:
    """Check the hash chains (and exported anchors); exit 1 naming the first broken link."""
    if case is not None and tenant is None:
        _usage("--case needs --tenant: a case's stream is case:<tenant>:<id>")
    if anchors is not None and tenant is not None:
        _usage("--anchors covers the whole log: leave out --tenant and --case")
    stream = None
    if tenant is not None and case is not None:
        try:
            stream = case_stream(tenant, case)
        except InvalidStreamName as error:
            _usage(f"--tenant or --case is not valid in a stream name: {error}")
    expected = _read_anchors(anchors) if anchors is not None else []
    report = _run(tenant, stream, expected, show_progress=not as_json)
    if as_json:
        typer.echo(json.dumps(_as_json(report), indent=2))
    else:
        _print(report, Console())
    raise typer.Exit(INTACT if report.intact else BROKEN)


def _usage(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(USAGE)


def _read_anchors(path: Path) -> list[Anchor]:
    try:
        return parse_lines(path.read_text(encoding="utf-8").splitlines(), str(path))
    except (OSError, ValueError) as error:
        typer.echo(f"Cannot read anchors: {error}", err=True)
        raise typer.Exit(UNREADABLE) from error


def _run(tenant: str | None, stream: str | None, anchors: list[Anchor], *, show_progress: bool) -> Report:
    settings = get_settings()

    async def main(progress: Callable[[int], None] | None) -> Report:
        store = await open_adapter(settings, pool_size=2)
        try:
            if stream is not None:
                return await check_stream(store, stream)
            return await check_log(store, tenant=tenant, anchors=anchors, progress=progress)
        finally:
            await store.close()

    try:
        if not show_progress:
            return asyncio.run(main(None))
        total = anchors[-1].count if anchors else None
        with _progress() as bar:
            task = bar.add_task("Ketens controleren", total=total)
            return asyncio.run(main(lambda done: bar.update(task, completed=done)))
    except (EventStoreError, ValueError) as error:
        typer.echo(f"Cannot read the event store: {error}", err=True)
        raise typer.Exit(UNREADABLE) from error


def _progress() -> Progress:
    """On stderr, and only on a terminal (rich leaves it out otherwise): stdout stays the outcome."""
    return progress_bars(Console(stderr=True), transient=True)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _print(report: Report, console: Console) -> None:
    counted = (
        f"{_count(report.checked, 'gebeurtenis', 'gebeurtenissen')} in "
        f"{_count(report.streams, 'stroom', 'stromen')} gecontroleerd"
        f" ({report.unchained} van voor de keten)"
    )
    if report.chain_break is not None:
        console.print(f"[bold red]Keten gebroken[/]: {report.chain_break.describe()}")
    if report.anchor_break is not None:
        console.print(f"[bold red]Anker wijkt af[/]: {report.anchor_break.describe()}")
    if report.intact:
        anchored = f", {report.anchors_matched} ankers kloppen" if report.anchors_matched else ""
        console.print(f"[bold green]Intact[/]: {counted}{anchored}")
    else:
        console.print(f"Tot de breuk: {counted}")


def _as_json(report: Report) -> dict[str, Any]:
    chain, anchor = report.chain_break, report.anchor_break
    return {
        "intact": report.intact,
        "checked": report.checked,
        "streams": report.streams,
        "unchained": report.unchained,
        "anchors_matched": report.anchors_matched,
        "chain_break": None
        if chain is None
        else {
            "stream": chain.stream,
            "version": chain.version,
            "event_id": str(chain.event_id),
            "problem": chain.problem.value,
            "expected": chain.expected,
            "found": chain.found,
        },
        "anchor_break": None
        if anchor is None
        else {
            "anchor": anchor.anchor.model_dump(mode="json", exclude_none=True),
            "found_count": anchor.found_count,
            "found_position": anchor.found_position,
            "found_digest": anchor.found_digest,
        },
    }
