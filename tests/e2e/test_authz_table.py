"""The authorisation matrix against the services' code, without a running stack: every route each service's
app has (built by the service's own ``bootstrap``, which connects nothing) has its row, and every row names
a route that exists; every row gives each principal one explicit cell; the case file's readers are those of
the product's role table; and docs/authorisation.md shows exactly this table."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from authz_docs import PAGE, page_with, render
from authz_matrix import CASE_FILE_READERS, MATRIX
from authz_principals import PRINCIPALS
from authz_rows import expand
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from opentelemetry.sdk.trace import TracerProvider

from klachtspoor.auth.devkeys import ensure_dev_keys
from klachtspoor.crypto import MasterKey
from services.escalation.bootstrap import bootstrap as escalation
from services.escalation.domain.casefile import CASE_FILE_TABLE, READERS
from services.intake.bootstrap import bootstrap as intake
from services.notify.bootstrap import bootstrap as notify
from services.reporting.bootstrap import bootstrap as reporting

STATUSES = frozenset({200, 303, 401, 403, 404, 409, 422, 429})


def apps(directory: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, FastAPI]:
    """Each service's app as its process builds it, from settings pointing at servers nobody contacts."""
    _, public = ensure_dev_keys(directory / "jwt")
    monkeypatch.setenv("KLACHTSPOOR_DATABASE_URL", "postgresql://nobody@127.0.0.1:9/none")
    monkeypatch.setenv("KLACHTSPOOR_NATS_URL", "nats://127.0.0.1:9")
    monkeypatch.setenv("KLACHTSPOOR_MASTER_KEY", MasterKey.generate_base64())
    monkeypatch.setenv("KLACHTSPOOR_JWT_PUBLIC_KEY_FILE", str(public))
    return {
        "intake": intake(telemetry=False).app,
        "escalation": escalation(tracer_provider=TracerProvider()).app,
        "notify": notify(tracer_provider=TracerProvider()).app,
        "reporting": reporting(telemetry=False).app,
    }


def test_every_route_of_every_service_has_a_row_and_every_row_a_route(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    routes = {
        (service, method, str(route.path))
        for service, app in apps(tmp_path, monkeypatch).items()
        for route in iter_route_contexts(app.routes)
        for method in sorted(route.methods or ())
    }
    rows = Counter(row.key for row in MATRIX)

    assert sorted(routes - set(rows)) == [], "routes without rows in the authorisation matrix"
    assert sorted(set(rows) - routes) == [], "rows of the authorisation matrix naming no route"
    assert [key for key, count in rows.items() if count > 1] == [], "routes with more than one row"


def test_every_row_states_one_cell_for_every_principal() -> None:
    for row in MATRIX:
        cells = expand(row)
        assert [cell.principal for cell in cells] == list(PRINCIPALS)
        assert {cell.status for cell in cells} <= STATUSES, row.key
        assert set(row.exceptions) <= {p.name for p in PRINCIPALS}, row.key
        assert bool(row.exceptions) == bool(row.why), f"{row.key}: exceptions and their reason go together"
        assert all(cell.rule for cell in cells if cell.status == 409), f"{row.key}: a 409 names its rule"


def test_the_case_file_readers_are_the_roles_of_the_product_table() -> None:
    assert CASE_FILE_READERS == READERS
    assert {role for role, names in CASE_FILE_TABLE.items() if names} == CASE_FILE_READERS


def test_the_documentation_shows_exactly_this_table() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert text == page_with(text, render()), "run `python tests/e2e/authz_docs.py` after changing the matrix"
