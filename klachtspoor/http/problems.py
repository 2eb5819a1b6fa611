"""RFC 9457 problem details (``application/problem+json``) for every error a service returns.

Validation errors name each bad field (``body.complainant.email``) and never echo the submitted value,
which may be personal data. An error no route handles is a problem document as well: 503 when a store
the service depends on is unavailable (worth a retry), 500 for anything else; neither names a host, a
connection string or a query (those go to the log, which operators read, not to the caller).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from klachtspoor import pgconnect
from klachtspoor.accesslog.errors import AccessLogUnavailable
from klachtspoor.crypto.errors import CaseErased, KeyStoreUnavailable
from klachtspoor.eventstore.errors import StoreUnavailable

PROBLEM_JSON = "application/problem+json"
UNAVAILABLE: tuple[type[Exception], ...] = (
    StoreUnavailable,
    KeyStoreUnavailable,
    AccessLogUnavailable,
    TimeoutError,
    ConnectionError,
    *pgconnect.DRIVER_UNAVAILABLE,
)
"""Infrastructure that is not there (a store down, a pool or connect timeout): 503, the caller may retry.
The PostgreSQL driver's own "not there now" errors are here too (PostgreSQL starting up after a crash, a
lost connection, a closed pool): every adapter translates them into its port's error, and one that does
not still answers 503, not 500. Not every ``OSError``, though: a missing file is a fault (500)."""
UNAVAILABLE_DETAIL = "A service this request needs is unavailable; retry in a moment"
UNEXPECTED_DETAIL = "The request could not be handled because of an unexpected error"

log = logging.getLogger("klachtspoor.http")


class Problem(Exception):
    """Raise from an endpoint to answer with a problem document."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str = "",
        *,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.extra = status, title, detail, extra
        self.headers = dict(headers or {})


def problem_response(
    status: int, title: str, detail: str = "", *, headers: Mapping[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    sent = dict(headers or {})
    if status == 401:
        sent.setdefault("WWW-Authenticate", "Bearer")
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=sent or None)


def _field_errors(error: RequestValidationError) -> list[dict[str, str]]:
    return [
        {"field": ".".join(str(part) for part in item.get("loc", ())), "message": str(item.get("msg", ""))}
        for item in error.errors()
    ]


async def _on_validation(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    fields = _field_errors(error)
    malformed = any(e.get("type") == "json_invalid" for e in error.errors())
    status, title = (400, "Malformed JSON") if malformed else (422, "Invalid request")
    names = ", ".join(f["field"] for f in fields)
    return problem_response(status, title, f"Check these fields: {names}", errors=fields)


async def _on_http(_: Request, error: Exception) -> JSONResponse:
    """The framework's own errors (404 of an unknown path, 405 with its ``Allow`` header) keep their
    headers: RFC 9110 requires ``Allow`` on a 405."""
    assert isinstance(error, StarletteHTTPException)
    return problem_response(error.status_code, str(error.detail), headers=error.headers)


async def _on_problem(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, Problem)
    return problem_response(error.status, error.title, error.detail, headers=error.headers, **error.extra)


async def _on_unavailable(request: Request, error: Exception) -> JSONResponse:
    """Handled here, so the framework does not log it: logged once, with the cause, for operators."""
    log.warning(
        "%s %s not handled: %s unavailable",
        request.method,
        request.url.path,
        type(error).__name__,
        exc_info=error,
    )
    return problem_response(503, "Service unavailable", UNAVAILABLE_DETAIL)


async def _on_erased(_: Request, error: Exception) -> JSONResponse:
    """Personal data for a case whose key was shredded: gone, like an erased case's commands (410). Reached
    when an erasure shredded the key but its event was not appended yet (the retry completes it)."""
    assert isinstance(error, CaseErased)
    return problem_response(410, "Gone", "The case's personal data was erased", rule="case_erased")


async def _on_unexpected(_: Request, error: Exception) -> JSONResponse:
    """The last resort: the server re-raises the error after this answer, and logs it with its traceback."""
    if isinstance(error, UNAVAILABLE):
        return problem_response(503, "Service unavailable", UNAVAILABLE_DETAIL)
    return problem_response(500, "Internal server error", UNEXPECTED_DETAIL)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(CaseErased, _on_erased)
    for unavailable in UNAVAILABLE:
        app.add_exception_handler(unavailable, _on_unavailable)
    app.add_exception_handler(Exception, _on_unexpected)
