"""The stylesheets a service serves itself: ``base.css`` here, which every page loads first, then the
page's own (the dashboard's, the public way in's) with only what that page adds.

A page may load nothing from elsewhere (the Content-Security-Policy of :mod:`klachtspoor.web.pages`), so
each service serves the base under its own path.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from importlib.resources import files

from fastapi import FastAPI
from fastapi.responses import Response

from klachtspoor.web.pages import HEADERS

BASE = "base.css"


def _endpoint(package: str, name: str) -> Callable[[], Awaitable[Response]]:
    async def stylesheet() -> Response:
        css = files(package).joinpath("static", name).read_text(encoding="utf-8")
        headers = {**HEADERS, "Cache-Control": "public, max-age=3600"}
        return Response(css, media_type="text/css; charset=utf-8", headers=headers)

    return stylesheet


def serve_stylesheets(app: FastAPI, folder: str, package: str, name: str) -> None:
    """``{folder}/base.css`` and ``{folder}/{name}`` (from ``package``'s ``static/``) on ``app``."""
    app.add_api_route(
        f"{folder}/{BASE}", _endpoint("klachtspoor.web", BASE), methods=["GET"], include_in_schema=False
    )
    app.add_api_route(f"{folder}/{name}", _endpoint(package, name), methods=["GET"], include_in_schema=False)
