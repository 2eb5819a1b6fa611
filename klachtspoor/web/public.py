"""Pages for people without an account: intake's complaint form and escalation's dossier (docs/public.md).

Both services render from their own templates, which extend the one layout here
(``klachtspoor/web/templates/_public.html.j2``), and serve the stylesheets here (``base.css``, then
:data:`STYLESHEET_PATH`), so the two halves of the public way in look and behave as one site behind a proxy.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment

from klachtspoor.calendar.notation_nl import dutch_date
from klachtspoor.web.pages import CSRF_SECONDS, HEADERS
from klachtspoor.web.stylesheets import BASE, serve_stylesheets
from klachtspoor.web.templating import page_environment

STATIC = "/publiek/static"
STYLESHEET_PATH = f"{STATIC}/public.css"


@cache
def environment(package: str) -> Environment:
    """The templates of ``package`` (its ``templates/`` folder), then the shared layout; long dates."""
    return page_environment((package, "klachtspoor.web"), dutch_date)


def page(
    request: Request, package: str, template: str, context: Mapping[str, Any], *, status: int = 200
) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    base = {
        "request": request,
        "base_stylesheet": f"{root}{STATIC}/{BASE}",
        "stylesheet": root + STYLESHEET_PATH,
    }
    html = environment(package).get_template(template).render({**base, **context})
    return HTMLResponse(html, status_code=status, headers=dict(HEADERS))


def set_csrf(request: Request, response: Response, name: str, value: str, path: str) -> None:
    """The cookie half of the double submit (the form holds the other): HttpOnly, SameSite=Strict,
    only for the form's own path, ``Secure`` over https."""
    response.set_cookie(
        name,
        value,
        max_age=CSRF_SECONDS,
        path=path,
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )


def mount_static(app: FastAPI) -> None:
    serve_stylesheets(app, STATIC, "klachtspoor.web", "public.css")
