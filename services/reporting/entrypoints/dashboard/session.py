"""Signing in to the dashboard: the network's bearer token, kept in a cookie the page's scripts cannot
read (HttpOnly; there are no scripts anyway), sent back only to the dashboard's own paths
(``Path=/dashboard``) and never on a request another site starts (``SameSite=Strict``); ``Secure`` over
https (or when the proxy in front ends TLS: ``KLACHTSPOOR_DASHBOARD_SECURE_COOKIE``).

Every page verifies the token from the cookie exactly as the API verifies the ``Authorization`` header
(:func:`klachtspoor.http.security.verifier_of`, then :func:`~klachtspoor.http.security.authorize` for the
tenant and the roles), so the dashboard has the same tenant and role rules as the API.

``POST /dashboard/aanmelden`` is the one way into the cookie: it verifies the token first and refuses a
request that is not from the dashboard's own origin (``Origin``, else ``Referer``) or lacks the sign-in
form's CSRF token (double submit: a random value in a short-lived cookie and in the form). The form that
takes a pasted token (``klachtspoor dev token``) is shown only with ``KLACHTSPOOR_DASHBOARD_DEV_SIGNIN``.
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass

import jwt
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from klachtspoor.auth import AuthError, Principal
from klachtspoor.http.security import verifier_of
from klachtspoor.web import CSRF_SECONDS, FormError, read_form, same_origin
from services.reporting.entrypoints.dashboard.render import DashboardError, page

TOKEN_COOKIE = "klachtspoor_dashboard"
CSRF_COOKIE = "klachtspoor_dashboard_csrf"
PATH = "/dashboard"


@dataclass(frozen=True, slots=True)
class DashboardConfig:
    dev_signin: bool
    secure_cookie: bool


def config_of(request: Request) -> DashboardConfig:
    config = getattr(request.app.state, "dashboard", None)
    if not isinstance(config, DashboardConfig):
        raise RuntimeError(
            "app.state.dashboard is not set: the reporting bootstrap must install the dashboard"
        )
    return config


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or config_of(request).secure_cookie


async def viewer(request: Request) -> Principal:
    """The principal of the cookie's token; 401 without a valid one (the same check as the API's)."""
    token = request.cookies.get(TOKEN_COOKIE)
    if not token:
        raise DashboardError(401, "U bent niet aangemeld.")
    try:
        return await verifier_of(request).verify(token)
    except AuthError as error:
        raise DashboardError(401, "Uw aanmelding is ongeldig of verlopen. Meld u opnieuw aan.") from error


router = APIRouter(prefix=PATH, include_in_schema=False)


@router.get("/aanmelden", response_class=HTMLResponse)
async def signin_page(request: Request) -> HTMLResponse:
    """The sign-in form. In development ``?token=`` fills it in (the link ``make dev`` prints); signing
    in is still the form's POST, with its CSRF pair."""
    return _signin_form(request, error=None, status=200, prefill=request.query_params.get("token", ""))


def _signin_form(request: Request, *, error: str | None, status: int, prefill: str = "") -> HTMLResponse:
    dev = config_of(request).dev_signin
    csrf = secrets.token_urlsafe(32)
    context = {"dev": dev, "csrf": csrf, "error": error, "prefill": prefill[:16_384] if dev else ""}
    response = page(request, "signin.html.j2", context, status=status)
    response.set_cookie(
        CSRF_COOKIE,
        csrf,
        max_age=CSRF_SECONDS,
        path=f"{PATH}/aanmelden",
        secure=_secure(request),
        httponly=True,
        samesite="strict",
    )
    return response


async def _form(request: Request) -> dict[str, str]:
    try:
        return await read_form(request)
    except FormError as error:
        raise DashboardError(400, "Het formulier kwam niet goed aan. Probeer het opnieuw.") from error


@router.post("/aanmelden")
async def sign_in(request: Request) -> Response:
    """Verify the token, then keep it in the cookie for as long as it is valid, and go to the dashboard."""
    fields = await _form(request)
    token, csrf = fields.get("token", ""), fields.get("csrf", "")
    expected = request.cookies.get(CSRF_COOKIE, "")
    if not same_origin(request) or not expected or not hmac.compare_digest(expected, csrf):
        raise DashboardError(
            403, "Dit aanmeldformulier is verlopen of kwam niet van deze site. Probeer het opnieuw."
        )
    token = token.strip()
    try:
        await verifier_of(request).verify(token)
    except AuthError:
        return _signin_form(request, error="Dit token is ongeldig of verlopen.", status=401)
    expires = jwt.decode(token, options={"verify_signature": False})["exp"]
    response = RedirectResponse(f"{PATH}/", status_code=303)
    response.set_cookie(
        TOKEN_COOKIE,
        token,
        max_age=max(0, int(expires - time.time())),
        path=PATH,
        secure=_secure(request),
        httponly=True,
        samesite="strict",
    )
    response.delete_cookie(
        CSRF_COOKIE, path=f"{PATH}/aanmelden", secure=_secure(request), httponly=True, samesite="strict"
    )
    return response


@router.post("/afmelden", response_class=HTMLResponse)
async def sign_out(request: Request) -> HTMLResponse:
    """Clear the cookie. Only from the dashboard's own pages: another site cannot sign anyone out."""
    if not same_origin(request):
        raise DashboardError(403, "Afmelden kan alleen vanaf het dashboard zelf.")
    response = page(request, "signed_out.html.j2", {"dev": config_of(request).dev_signin})
    clear_token(request, response)
    return response


def clear_token(request: Request, response: Response) -> None:
    """Expire the token's cookie (the same name, path and attributes as when it was set)."""
    response.delete_cookie(TOKEN_COOKIE, path=PATH, secure=_secure(request), httponly=True, samesite="strict")
