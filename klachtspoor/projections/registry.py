"""The projections the installed services register (entry-point group ``klachtspoor.projections``).

Each entry is ``name = "package.module:factory"`` in the service's distribution (the root
``pyproject.toml``); ``factory(settings)`` returns a :class:`RebuildableProjection` and connects nothing.
Adding a projection to the rebuild list is that one line. Entries are looked up only when a command
needs them, never at import.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points

from klachtspoor.projections.model import RebuildableProjection
from klachtspoor.settings import Settings

PROJECTIONS_GROUP = "klachtspoor.projections"


class UnknownProjection(LookupError):
    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        super().__init__(f"No projection {name!r} is registered (known: {', '.join(known) or 'none'})")


def registered() -> dict[str, EntryPoint]:
    """The registered projections by name, sorted."""
    return {
        entry.name: entry for entry in sorted(entry_points(group=PROJECTIONS_GROUP), key=lambda e: e.name)
    }


def load_projection(name: str, settings: Settings) -> RebuildableProjection:
    entries = registered()
    entry = entries.get(name)
    if entry is None:
        raise UnknownProjection(name, list(entries))
    factory = entry.load()
    if not callable(factory):
        raise TypeError(f"Entry point {entry.value} ({PROJECTIONS_GROUP}: {name}) is not a factory")
    projection = _call(factory, settings)
    if not isinstance(projection, RebuildableProjection):
        raise TypeError(
            f"Entry point {entry.value} ({PROJECTIONS_GROUP}: {name}) returned {type(projection).__name__},"
            " not a RebuildableProjection"
        )
    if projection.name != name:
        raise ValueError(f"Entry point {name} ({entry.value}) builds the projection {projection.name!r}")
    return projection


def _call(factory: Callable[[Settings], object], settings: Settings) -> object:
    return factory(settings)
