"""The complainant's dossier as Dutch pages under ``/dossier/{tenant}`` (docs/public.md).

No JavaScript and nothing from elsewhere (:mod:`klachtspoor.web`). The person types the receipt code and
the secret once (``POST /dossier/{tenant}``, the same attempt limits and answer as the JSON route); the
dossier then stays open in a session cookie for a while (``KLACHTSPOOR_DOSSIER_SESSION_MINUTES``): HttpOnly,
SameSite=Strict, only for ``/dossier/{tenant}``, holding the case id, the version of the secret that
opened it and the expiry, signed with HMAC-SHA256 under a key derived from the master key. A newer secret
ends every older session. Each page view is a logged read; each action is a form POST from the page
itself (same origin, the CSRF double submit) whose hidden one-time value makes a resent form the same
command, so withdrawing twice appends the withdrawal once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from klachtspoor.http.problems import Problem
from klachtspoor.web import FormError, csrf_matches, new_csrf, read_form, same_origin
from klachtspoor.web.public import page, set_csrf
from services.escalation.application.dossier import OpenedDossier
from services.escalation.domain.casefile.dossier import current_secret
from services.escalation.entrypoints.app_state import known_tenant, staff_api
from services.escalation.entrypoints.dossier_access import (
    LETTER_PAGE_PATH,
    open_with_secret,
    public_dossier,
    read_dossier,
    resume,
)
from services.escalation.entrypoints.dossier_commands import COMMANDS, DossierCommand, run_dossier_command
from services.escalation.entrypoints.dossier_routes import replace
from services.escalation.entrypoints.dossier_session import end_session, session, start_session

PACKAGE = "services.escalation.entrypoints"
CSRF_COOKIE = "klachtspoor_dossier_csrf"
DONE = {
    "ingetrokken": "Je klacht is ingetrokken. We sturen je een bevestiging.",
    "aangevuld": "Je aanvulling is toegevoegd aan je dossier.",
    "gevraagd": "Je verzoek om de volgende stap is ontvangen.",
}
REFUSED = {
    "case_closed": "Dat kan niet meer: je klacht is al gesloten.",
    "no_step_to_ask": "Om deze stap kun je nu niet vragen.",
}

router = APIRouter(include_in_schema=False)


def _root(tenant: str) -> str:
    return f"/dossier/{tenant}"


def _render(
    request: Request, tenant: str, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    csrf = new_csrf()
    organisation = known_tenant(staff_api(request).tenants, tenant).display_name
    base = {"organisation": organisation, "root": _root(tenant), "csrf": csrf}
    response = page(request, PACKAGE, template, base | context, status=status)
    set_csrf(request, response, CSRF_COOKIE, csrf, _root(tenant))
    return response


def _error(request: Request, status: int, detail: str) -> HTMLResponse:
    context = {"organisation": "klachtspoor", "detail": detail, "status": status}
    return page(request, PACKAGE, "public_error.html.j2", context, status=status)


def _login(
    request: Request, tenant: str, message: str | None = None, status: int = 200, *, reference: str = ""
) -> HTMLResponse:
    """The sign-in form; after a refused attempt with the receipt code typed (never the secret)."""
    context = {"message": message, "reference": reference}
    return _render(request, tenant, "dossier_login.html.j2", context, status)


@router.get("/dossier/{tenant}", response_class=HTMLResponse)
async def login_page(request: Request, tenant: str) -> Response:
    try:
        return _login(request, tenant)
    except Problem:
        return _error(request, 404, "Deze organisatie kennen we niet. Kijk of het adres klopt.")


async def _checked_form(request: Request) -> dict[str, str] | HTMLResponse:
    try:
        fields = await read_form(request)
    except FormError:
        return _error(request, 400, "Het formulier kwam niet goed aan. Probeer het opnieuw.")
    if not same_origin(request) or not csrf_matches(request.cookies.get(CSRF_COOKIE), fields.get("csrf")):
        return _error(request, 403, "Dit formulier is verlopen of kwam niet van deze site. Open het opnieuw.")
    return fields


@router.post("/dossier/{tenant}", response_class=HTMLResponse)
async def open_dossier(request: Request, tenant: str) -> Response:
    try:
        known_tenant(staff_api(request).tenants, tenant)
    except Problem:
        return _error(request, 404, "Deze organisatie kennen we niet. Kijk of het adres klopt.")
    fields = await _checked_form(request)
    if isinstance(fields, HTMLResponse):
        return fields
    reference, secret = fields.get("reference", "")[:40], fields.get("secret", "")[:64]
    try:
        opened = await open_with_secret(request, tenant, reference, secret, f"POST {_root('{tenant}')}")
    except Problem as problem:
        if problem.status == 429:
            message = "Je hebt het te vaak geprobeerd. Wacht een uur en probeer het dan opnieuw."
            limited = _login(request, tenant, message, 429)
            limited.headers.update(problem.headers)
            return limited
        if problem.status == 404:
            message = (
                "Dit kenmerk en deze geheime code horen niet bij elkaar, of we kennen ze niet. "
                "Kijk of je ze goed hebt overgetypt."
            )
            return _login(request, tenant, message, 404, reference=reference)
        raise
    response = RedirectResponse(f"{_root(tenant)}/zaak", status_code=303)
    start_session(request, response, tenant, opened.case_id, opened.secret_version)
    return response


async def _resumed(request: Request, tenant: str) -> OpenedDossier | None:
    opened = session(request, tenant)
    return None if opened is None else await resume(request, tenant, *opened)


def _expired(request: Request, tenant: str) -> HTMLResponse:
    response = _login(
        request, tenant, "Je dossier is gesloten. Vul je kenmerk en geheime code opnieuw in.", 401
    )
    end_session(request, response, tenant)
    return response


@router.get("/dossier/{tenant}/zaak", response_class=HTMLResponse)
async def dossier_page(request: Request, tenant: str) -> Response:
    opened = await _resumed(request, tenant)
    if opened is None:
        return _expired(request, tenant)
    return await _show(request, tenant, opened, done=DONE.get(request.query_params.get("gedaan", "")))


async def _show(
    request: Request,
    tenant: str,
    opened: OpenedDossier,
    *,
    done: str | None = None,
    refused: str | None = None,
    new_secret: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    view = await read_dossier(request, opened, f"GET {_root('{tenant}')}/zaak", LETTER_PAGE_PATH)
    context = {
        "dossier": view,
        "done": done,
        "refused": refused,
        "new_secret": new_secret,
        "nonce": new_csrf(),
        "today": staff_api(request).clock(),
    }
    return _render(request, tenant, "dossier.html.j2", context, status)


async def _act(request: Request, tenant: str) -> tuple[OpenedDossier, dict[str, str], str] | Response:
    """The checked form, the dossier of the session and the command's key: the form's hidden one-time
    value, so a resent form is the same command."""
    fields = await _checked_form(request)
    if isinstance(fields, HTMLResponse):
        return fields
    opened = await _resumed(request, tenant)
    if opened is None:
        return _expired(request, tenant)
    return opened, fields, "page:" + (fields.get("nonce", "")[:64] or new_csrf())


async def _refused(request: Request, tenant: str, opened: OpenedDossier, problem: Problem) -> HTMLResponse:
    if problem.status != 409 and problem.status != 422:
        raise problem
    rule = str(problem.extra.get("rule", ""))
    message = REFUSED.get(rule, "Dat kan nu niet. Kijk of je alles hebt ingevuld.")
    return await _show(request, tenant, opened, refused=message, status=problem.status)


async def _command(request: Request, tenant: str, command: DossierCommand) -> Response:
    """``command`` from its form on the dossier page; done, back to the dossier saying so."""
    acting = await _act(request, tenant)
    if isinstance(acting, Response):
        return acting
    opened, fields, key = acting
    values = command.form(fields)
    if isinstance(values, str):
        return await _show(request, tenant, opened, refused=values, status=422)
    try:
        await run_dossier_command(request, Response(), opened, command, key, values)
    except Problem as problem:
        return await _refused(request, tenant, opened, problem)
    return RedirectResponse(f"{_root(tenant)}/zaak?gedaan={command.done}", status_code=303)


def _command_page(command: DossierCommand) -> Callable[[Request, str], Awaitable[Response]]:
    async def post(request: Request, tenant: str) -> Response:
        return await _command(request, tenant, command)

    return post


for _dossier_command in COMMANDS:
    router.add_api_route(
        f"/dossier/{{tenant}}/{_dossier_command.page}",
        _command_page(_dossier_command),
        methods=["POST"],
        response_class=HTMLResponse,
        name=_dossier_command.name,
    )


@router.post("/dossier/{tenant}/nieuwe-code", response_class=HTMLResponse)
async def replace_secret(request: Request, tenant: str) -> Response:
    acting = await _act(request, tenant)
    if isinstance(acting, Response):
        return acting
    opened, _, _ = acting
    secret = await replace(request, Response(), opened)
    renewed = await _resumed_after_replace(request, tenant, opened)
    response = await _show(request, tenant, renewed, new_secret=secret)
    start_session(request, response, tenant, renewed.case_id, renewed.secret_version)
    return response


async def _resumed_after_replace(request: Request, tenant: str, opened: OpenedDossier) -> OpenedDossier:
    access = public_dossier(request).access
    assert access is not None
    loaded = await access.load(tenant, opened.case_id)
    newest = None if loaded is None else current_secret(loaded.events)
    renewed = None if newest is None else await resume(request, tenant, opened.case_id, newest[0])
    if renewed is None:
        raise Problem(
            409, "Command rejected", "The secret was replaced again meanwhile", rule="secret_replaced"
        )
    return renewed


@router.post("/dossier/{tenant}/afmelden", response_class=HTMLResponse)
async def close_dossier(request: Request, tenant: str) -> Response:
    if not same_origin(request):
        return _error(request, 403, "Sluiten kan alleen vanaf je dossier zelf.")
    response = _login(request, tenant, "Je dossier is gesloten.")
    end_session(request, response, tenant)
    return response
