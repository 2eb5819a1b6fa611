"""The one way a page's Jinja environment is built, for the dashboard and the public way in alike.

Every page is autoescaped and names nothing undefined; what differs is where its templates come from and
how long its dates are written (the public pages write ``2 maart 2026``, the dashboard ``2 mrt 2026``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from jinja2 import BaseLoader, ChoiceLoader, Environment, PackageLoader, StrictUndefined

from klachtspoor.calendar import local_date

DateNotation = Callable[[date], str]


def page_environment(packages: tuple[str, ...], notation: DateNotation) -> Environment:
    """The templates of ``packages`` (each its ``templates/`` folder, the first that has a name wins),
    with the ``dutch_date`` filter writing dates in ``notation``."""
    loaders: list[BaseLoader] = [PackageLoader(package, "templates") for package in packages]
    env = Environment(
        loader=loaders[0] if len(loaders) == 1 else ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["dutch_date"] = date_filter(notation)
    return env


def date_filter(notation: DateNotation) -> Callable[[date | datetime | None], str]:
    """A date in ``notation``, a moment by its Dutch date, nothing as ``–``."""

    def written(value: date | datetime | None) -> str:
        if value is None:
            return "–"
        return notation(local_date(value) if isinstance(value, datetime) else value)

    return written
