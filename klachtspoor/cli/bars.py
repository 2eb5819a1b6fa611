"""The progress bars of every long command: one look (label, bar, done of total, elapsed time), on the
console it is given. On stderr, where a command's outcome goes to stdout; rich draws them only on a
terminal, so a script reading the output sees none of them."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class EventsPerSecond(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.0f} events/s", style="progress.data.speed")


def progress_bars(
    console: Console, *, per_second: bool = False, remaining: bool = False, transient: bool = False
) -> Progress:
    """Bars for events (``per_second``: their rate; ``remaining``: the time left) or any other count."""
    columns: list[ProgressColumn] = [
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
    ]
    if per_second:
        columns.append(EventsPerSecond())
    columns.append(TimeElapsedColumn())
    if remaining:
        columns.append(TimeRemainingColumn())
    return Progress(*columns, console=console, transient=transient)


class ProgressBars:
    """Bars shown for the length of a ``with`` block; a tracker subclasses it and adds the bars it needs."""

    def __init__(self, console: Console, *, transient: bool = False) -> None:
        self._progress = progress_bars(console, transient=transient)

    def __enter__(self) -> Self:
        self._progress.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._progress.stop()
