"""Which adapters the conformance suite runs over, and the backend (server, namespace) each one needs."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

ADAPTERS = ["memory", "postgres", "esdb", "chained-memory", "chained-postgres", "chained-esdb"]
"""``chained-*``: the adapter behind :class:`ChainedEventStore`, which every writer appends through."""


@dataclass(frozen=True)
class Backend:
    name: str
    url: str | None = None
    namespace: str = ""


def backend_of(request: pytest.FixtureRequest) -> Backend:
    """The backend ``request.param`` names (a module may parametrize ``backend`` with fewer adapters)."""
    name = request.param.removeprefix("chained-")
    match name:
        case "memory":
            return Backend(request.param)
        case "postgres":
            return Backend(request.param, request.getfixturevalue("database_url"))
        case "esdb":
            url, namespace = request.getfixturevalue("esdb_url"), request.getfixturevalue("esdb_namespace")
            return Backend(request.param, url, namespace)
        case other:
            raise ValueError(f"no fixture for adapter {other!r}")
