"""Trend charts as inline SVG, drawn on the server from protected tables: no script, nothing fetched.

A chart shows one protected table of a year: a group of bars per quarter, one bar per value. Only
published figures have a height; a suppressed figure has no bar, just the ``x`` of the tables where the
bar would stand, so the picture holds no more than the table beside it. Every bar carries its figure as
text, so colour is never the only way to tell the bars apart (the legend names each colour, and the data
table under the chart holds every figure).
"""

from __future__ import annotations

from dataclasses import dataclass

from services.reporting.entrypoints.dashboard.views import Figure, Grid

WIDTH, HEIGHT = 480, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 16, 40
PALETTE = ("#1d4f91", "#b04a00", "#2b7a2b", "#7b3294", "#b3124a", "#00697a", "#5c4b00", "#4d4d4d", "#8a3b12")
"""Colours with a contrast of at least 3:1 against the white background (WCAG 2.1, 1.4.11)."""


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    text: str
    text_y: float
    title: str


@dataclass(frozen=True, slots=True)
class Tick:
    y: float
    text: str


@dataclass(frozen=True, slots=True)
class Label:
    x: float
    text: str


@dataclass(frozen=True, slots=True)
class Series:
    colour: str
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    key: str
    title: str
    description: str
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    groups: tuple[Label, ...]
    legend: tuple[Series, ...]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: float = HEIGHT - BOTTOM
    right_edge: int = WIDTH - RIGHT


def _step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if top / step <= 5:
            return step
    return 10_000


def trend_chart(
    grid: Grid, *, title: str, series: tuple[tuple[str, tuple[Figure, ...]], ...], key: str | None = None
) -> Chart:
    """Bars of ``series`` (a label and one figure per column of ``grid``), grouped by the grid's columns."""
    published = [
        f.value for _, figures in series for f in figures if not f.suppressed and f.value is not None
    ]
    top = max([1, *published])
    step = _step(top)
    top = -(-top // step) * step
    plot_height = HEIGHT - TOP - BOTTOM
    columns = grid.columns
    group_width = (WIDTH - LEFT - RIGHT) / max(1, len(columns))
    bar_width = min(28.0, (group_width - 12) / max(1, len(series)))
    bars: list[Bar] = []
    for s, (label, figures) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        for c, figure in enumerate(figures):
            start = LEFT + c * group_width + (group_width - bar_width * len(series)) / 2
            x = start + s * bar_width
            value = 0 if figure.suppressed or figure.value is None else figure.value
            height = plot_height * value / top
            y = TOP + plot_height - height
            quarter = columns[c][1]
            shown = "niet gepubliceerd (x)" if figure.suppressed else f"{value}"
            bars.append(
                Bar(
                    x,
                    y,
                    max(bar_width - 2, 1),
                    height,
                    colour,
                    figure.text,
                    y - 3,
                    f"{label}, {quarter}: {shown}",
                )
            )
    ticks = tuple(Tick(TOP + plot_height - plot_height * v / top, str(v)) for v in range(0, top + 1, step))
    groups = tuple(Label(LEFT + (c + 0.5) * group_width, label) for c, (_, label) in enumerate(columns))
    legend = tuple(Series(PALETTE[s % len(PALETTE)], label) for s, (label, _) in enumerate(series))
    described = "; ".join(
        f"{label}: " + ", ".join(f"{columns[c][1]} {f.text}" for c, f in enumerate(figures))
        for label, figures in series
    )
    return Chart(
        key=key or grid.key,
        title=title,
        description=f"Staafdiagram per kwartaal. {described}. x: niet gepubliceerd.",
        bars=tuple(bars),
        ticks=ticks,
        groups=groups,
        legend=legend,
    )


def rows_chart(grid: Grid, *, title: str) -> Chart:
    """One series per row of the grid (the rows with something to show)."""
    return trend_chart(grid, title=title, series=tuple((row.label, row.cells) for row in grid.rows))


def totals_chart(grid: Grid, *, title: str, label: str) -> Chart:
    """One series: the grid's column totals."""
    return trend_chart(grid, title=title, series=((label, grid.column_totals),), key="cases")
