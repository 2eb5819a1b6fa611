"""The dashboard: server-rendered Dutch pages under ``/dashboard`` (docs/dashboard.md).

:func:`install` adds it to reporting's app: the routes (left out of the OpenAPI document, which
describes the JSON API), the stylesheets (the shared base, then its own), and the error pages (HTML,
where the API answers problem+json).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from klachtspoor.web.stylesheets import serve_stylesheets
from services.reporting.entrypoints.dashboard import caselist, pages, session
from services.reporting.entrypoints.dashboard.render import DashboardError, error_page
from services.reporting.entrypoints.dashboard.session import PATH, TOKEN_COOKIE, DashboardConfig, clear_token

__all__ = ["DashboardConfig", "install"]


async def _not_found(request: Request, rest: str) -> HTMLResponse:
    raise DashboardError(404, "Deze pagina bestaat niet.")


async def _on_error(request: Request, error: Exception) -> Response:
    """The error page; a 401 also clears a cookie whose token no longer holds (expired, forged)."""
    assert isinstance(error, DashboardError)
    held = TOKEN_COOKIE in request.cookies
    response = error_page(request, error, signed_in=held and error.status != 401)
    if held and error.status == 401:
        clear_token(request, response)
    return response


def install(app: FastAPI, config: DashboardConfig) -> None:
    app.state.dashboard = config
    serve_stylesheets(app, f"{PATH}/static", __package__, "dashboard.css")
    app.include_router(session.router)
    app.include_router(pages.router)
    app.include_router(caselist.router)
    app.add_api_route(
        f"{PATH}/{{rest:path}}",
        _not_found,
        methods=["GET"],
        include_in_schema=False,
        response_class=HTMLResponse,
    )
    app.add_exception_handler(DashboardError, _on_error)
