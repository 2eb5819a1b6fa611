"""Pages from the dashboard's Jinja templates (Dutch, autoescaped), with the headers every page gets.

The headers, the Content-Security-Policy that allows no script and nothing from elsewhere, are the shared
ones of :mod:`klachtspoor.web`, as are the form and origin checks the sign-in uses.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment

from klachtspoor.web import HEADERS
from klachtspoor.web.templating import page_environment
from services.reporting.entrypoints.dashboard.labels import short_date

log = logging.getLogger(__name__)

TITLES: Mapping[int, str] = {
    400: "Ongeldige aanvraag",
    401: "Niet aangemeld",
    403: "Geen toegang",
    404: "Niet gevonden",
    422: "Ongeldige aanvraag",
}


class DashboardError(Exception):
    """Answer with the error page of ``status``: ``detail`` says in Dutch what happened."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Templates from the package (shipped as package data); dates ``2 mrt 2026``: short, unambiguous
    and Dutch."""
    return page_environment(("services.reporting.entrypoints.dashboard",), short_date)


def page(request: Request, template: str, context: Mapping[str, Any], *, status: int = 200) -> HTMLResponse:
    base = {"request": request, "root": request.scope.get("root_path", "") + "/dashboard"}
    html = environment().get_template(template).render({**base, **context})
    response = HTMLResponse(html, status_code=status, headers=dict(HEADERS))
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="klachtspoor dashboard"'
    return response


def error_page(request: Request, error: DashboardError, *, signed_in: bool = False) -> HTMLResponse:
    title = TITLES.get(error.status, "Fout")
    context = {"title": title, "detail": error.detail, "status": error.status, "signed_in": signed_in}
    return page(request, "error.html.j2", context, status=error.status)
