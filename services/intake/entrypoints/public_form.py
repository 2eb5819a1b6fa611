"""The public complaint form: ``GET /klacht/{tenant}`` and ``POST /klacht/{tenant}`` (docs/public.md).

Dutch HTML that works without JavaScript and loads nothing from elsewhere (:mod:`klachtspoor.web`). It
explains who may complain and at which steps under the organisation's policy, then files exactly as the
JSON endpoint does (:func:`~services.intake.entrypoints.public.file_public`). A refused form is shown again
with what the person typed and a message per field (422); the receipt page shows the reference and the
secret once. The POST must come from the form itself: same origin and the form's CSRF value.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from contracts.labels import label
from contracts.policy import ProcedurePolicy, StepOrder
from contracts.policy_rules import age_refusal
from contracts.vocabulary import AgeBand, ComplainantCapacity
from klachtspoor.http.problems import Problem
from klachtspoor.web import FormError, csrf_matches, new_csrf, read_form, same_origin
from klachtspoor.web.public import page, set_csrf
from services.intake.domain.public import Declarations, check_entitled, starting_steps
from services.intake.domain.rules import InvalidSignal
from services.intake.entrypoints.public import file_public, policy_of, public_tenant, public_way_in
from services.intake.entrypoints.public_schemas import DESCRIPTION_MAX_LENGTH, PublicComplaintRequest

PACKAGE = "services.intake.entrypoints"
CSRF_COOKIE = "klachtspoor_klacht_csrf"
FIELDS = ("capacity", "client_age_band", "raised_with", "description", "name", "email", "phone", "website")
CHECKS = ("client_deceased", "written_authorisation", "anonymous")

MESSAGES = {
    "capacity": "Kies wie de klacht indient.",
    "client_age_band": "Een kind jonger dan 12 jaar dient de klacht in via een ouder of voogd. "
    "Kies dan 'Ik ben ouder, voogd of wettelijk vertegenwoordiger'.",
    "client_deceased": "Een nabestaande kan alleen een klacht indienen als de cliënt is overleden.",
    "written_authorisation": "Een gemachtigde heeft een schriftelijke machtiging van de cliënt nodig.",
    "raised_with": "Kies bij wie je de klacht neerlegt.",
    "description": f"Schrijf op wat er is gebeurd (hoogstens {DESCRIPTION_MAX_LENGTH:,} tekens).".replace(
        ",", "."
    ),
    "name": "Schrijf je naam op één regel (hoogstens 200 tekens).",
    "email": "Vul één geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.",
    "phone": "Vul je telefoonnummer op één regel in (hoogstens 40 tekens).",
    "anonymous": "Anoniem betekent: geen naam, e-mailadres of telefoonnummer. Laat die velden leeg, "
    "of vink 'anoniem' uit.",
    "website": "Laat het laatste veld leeg.",
}
CAPACITY_TEXT = {
    ComplainantCapacity.CLIENT: ("Ik ben de cliënt", "Je krijgt zelf hulp van deze organisatie."),
    ComplainantCapacity.LEGAL_REPRESENTATIVE: (
        "Ik ben ouder, voogd of wettelijk vertegenwoordiger",
        "Je dient de klacht in voor een kind of jongere die hulp krijgt.",
    ),
    ComplainantCapacity.AUTHORISED_PERSON: (
        "Ik ben gemachtigd",
        "De cliënt heeft je schriftelijk toestemming gegeven (een machtiging) om voor hem of haar te klagen.",
    ),
    ComplainantCapacity.SURVIVING_RELATIVE: (
        "Ik ben nabestaande",
        "De cliënt is overleden en je bent familie of naaste.",
    ),
}
AGE_TEXT = {
    AgeBand.UNDER_12: "Jonger dan 12 jaar",
    AgeBand.FROM_12_TO_17: "12 tot 18 jaar",
    AgeBand.ADULT: "18 jaar of ouder",
}

router = APIRouter(include_in_schema=False)


def _path(tenant: str) -> str:
    return f"/klacht/{tenant}"


def _context(request: Request, tenant_name: str, policy: ProcedurePolicy | None) -> dict[str, Any]:
    capacities = policy.complainants if policy is not None else tuple(ComplainantCapacity)
    steps = []
    for step in starting_steps(policy):
        text = policy.step(step).label if policy is not None else label(step)
        steps.append({"value": step.value, "label": text})
    return {
        "organisation": tenant_name,
        "capacities": [
            {"value": c.value, "label": CAPACITY_TEXT[c][0], "hint": CAPACITY_TEXT[c][1]} for c in capacities
        ],
        "ages": [{"value": a.value, "label": t} for a, t in AGE_TEXT.items()],
        "min_age": policy.child_min_age_alone if policy is not None else None,
        "steps": steps,
        "one_by_one": policy is not None and policy.order is StepOrder.ONE_BY_ONE,
        "ladder": [policy.step(s).label for s in policy.steps] if policy is not None else [],
        "max_description": DESCRIPTION_MAX_LENGTH,
    }


def _form_page(
    request: Request,
    tenant: str,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    registered = public_tenant(request, tenant)
    csrf = new_csrf()
    context = _context(request, registered.display_name, policy_of(request, registered))
    shown = {name: "" for name in (*FIELDS, *CHECKS)} | (values or {})
    context |= {"action": _path(tenant), "csrf": csrf, "values": shown, "errors": errors or {}}
    response = page(request, PACKAGE, "complaint_form.html.j2", context, status=status)
    set_csrf(request, response, CSRF_COOKIE, csrf, _path(tenant))
    return response


@router.get("/klacht/{tenant}", response_class=HTMLResponse)
async def complaint_form(request: Request, tenant: str) -> HTMLResponse:
    try:
        return _form_page(request, tenant)
    except Problem as problem:
        return _error(request, problem.status, "Deze organisatie kennen we niet. Kijk of het adres klopt.")


@router.post("/klacht/{tenant}", response_class=HTMLResponse)
async def file_from_form(request: Request, tenant: str) -> HTMLResponse:
    try:
        registered = public_tenant(request, tenant)
        public_way_in(request).count(request)
    except Problem as problem:
        if problem.status == 429:
            detail = (
                "Er zijn nu te veel klachten tegelijk verstuurd. Wacht even en probeer het daarna opnieuw."
            )
            response = _error(request, 429, detail)
            response.headers.update(problem.headers)
            return response
        return _error(request, problem.status, "Deze organisatie kennen we niet. Kijk of het adres klopt.")
    try:
        fields = await read_form(request)
    except FormError:
        return _error(request, 400, "Het formulier kwam niet goed aan. Probeer het opnieuw.")
    if not same_origin(request) or not csrf_matches(request.cookies.get(CSRF_COOKIE), fields.get("csrf")):
        return _error(request, 403, "Dit formulier is verlopen of kwam niet van deze site. Open het opnieuw.")
    values = {name: fields.get(name, "") for name in FIELDS} | {n: fields.get(n, "") for n in CHECKS}
    try:
        body = PublicComplaintRequest.model_validate(_body(values))
    except ValidationError as error:
        names = {str(item["loc"][0]) for item in error.errors(include_input=False) if item["loc"]}
        names |= _policy_refusals(values, policy_of(request, registered))
        return _form_page(request, tenant, values=_kept(values), errors=_messages(names), status=422)
    try:
        filed = await file_public(request, registered, body)
    except Problem as problem:
        if problem.status != 422:
            raise
        names = {
            str(e["field"]).removeprefix("body.").removeprefix("complainant.")
            for e in problem.extra.get("errors", [])
        }
        return _form_page(request, tenant, values=_kept(values), errors=_messages(names), status=422)
    context = {"organisation": registered.display_name, "filed": filed}
    return page(request, PACKAGE, "complaint_received.html.j2", context, status=201)


def _body(values: dict[str, str]) -> dict[str, Any]:
    """The form's text as the JSON request: empty fields absent, checkboxes true when sent."""
    body: dict[str, Any] = {name: values[name].strip() for name in FIELDS if values[name].strip()}
    if "description" in body:
        body["description"] = values["description"].replace("\r\n", "\n").strip()
    body["website"] = values["website"]
    for name in CHECKS:
        body[name] = values[name] == "ja"
    return body


def _policy_refusals(values: dict[str, str], policy: ProcedurePolicy | None) -> set[str]:
    """The policy's refusals of the choices made, shown with the other messages at once (the filing
    checks them again, in full)."""
    try:
        capacity = ComplainantCapacity(values["capacity"])
        band = AgeBand(values["client_age_band"]) if values["client_age_band"] else None
    except ValueError:
        return set()
    refused: set[str] = set()
    try:
        check_entitled(
            policy,
            capacity,
            Declarations(values["client_deceased"] == "ja", values["written_authorisation"] == "ja"),
        )
    except InvalidSignal as error:
        refused.add(error.field.removeprefix("complainant."))
    if policy is not None and age_refusal(policy, capacity, band) is not None:
        refused.add("client_age_band")
    return refused


def _kept(values: dict[str, str]) -> dict[str, str]:
    """What the form shows again: all but the honeypot."""
    return {name: value for name, value in values.items() if name != "website"}


def _messages(names: set[str]) -> dict[str, str]:
    return {name: MESSAGES.get(name, "Dit veld klopt niet.") for name in names} or {
        "description": MESSAGES["description"]
    }


def _error(request: Request, status: int, detail: str) -> HTMLResponse:
    context = {"organisation": "klachtspoor", "detail": detail, "status": status}
    return page(request, PACKAGE, "public_error.html.j2", context, status=status)
