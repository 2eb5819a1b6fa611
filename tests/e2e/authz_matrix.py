"""The authorisation matrix: every endpoint of every service, one row each (docs/authorisation.md is
generated from this table by ``authz_docs.py``; a test keeps the two identical).

The rows are in the order the walk sends them: the dossier's commands that change what opens it
(withdraw, a new secret) come after every other use of the dossier's code, secret and session. The role
sets are written out here, from the services' documentation, on purpose: the walk compares them with what
the running services do, so they are the statement, not a copy of the code."""

from __future__ import annotations

from datetime import date
from types import MappingProxyType

from authz_rows import Gate, Row, Send, Shows, Via

from contracts.vocabulary import Role

R = Role
CASE = "/v1/tenants/{tenant}/cases/{case_id}"
COMMAND = CASE + "/commands/"
DOSSIER = "/v1/public/tenants/{tenant}/dossier"
YEAR = {"period": str(date.today().year)}

INFORMAL = frozenset({R.CARE_WORKER, R.MANAGER, R.COMPLAINTS_OFFICER, R.OFFICE_MANAGER})
HANDLERS = frozenset({R.COMPLAINTS_OFFICER, R.DIRECTOR, R.COMPLAINTS_COMMITTEE, R.OFFICE_MANAGER})
JUDGES = frozenset({R.DIRECTOR, R.COMPLAINTS_COMMITTEE})
STAFF = INFORMAL | HANDLERS | {R.MUNICIPAL_GENERALIST}
COMPLAINANTS = frozenset({R.CLIENT, R.LEGAL_REPRESENTATIVE, R.AUTHORISED_PERSON, R.SURVIVING_RELATIVE})
CASE_FILE_READERS = STAFF | {R.CONFIDANT, R.AUDITOR}
HISTORY_READERS = HANDLERS | {R.AUDITOR}
REPORTING_CASE_READERS = HISTORY_READERS
STATISTICS_READERS = REPORTING_CASE_READERS | {R.MANAGER}
YEARLY_ANALYSIS_READERS = frozenset(
    {R.DIRECTOR, R.MANAGER, R.COMPLAINTS_OFFICER, R.OFFICE_MANAGER, R.AUDITOR}
)

COMMANDS: dict[str, frozenset[Role]] = {
    "record-first-contact": INFORMAL | {R.COMPLAINTS_COMMITTEE},
    "record-informal-conversation": INFORMAL | {R.MUNICIPAL_GENERALIST},
    "escalate": INFORMAL | {R.MUNICIPAL_GENERALIST},
    "assign-complaints-officer": frozenset({R.MANAGER, R.OFFICE_MANAGER, R.COMPLAINTS_OFFICER, R.DIRECTOR}),
    "start-mediation": frozenset({R.COMPLAINTS_OFFICER, R.MANAGER}),
    "conclude-mediation": frozenset({R.COMPLAINTS_OFFICER, R.MANAGER}),
    "file-complaint": INFORMAL | JUDGES,
    "decide-admissibility": JUDGES | {R.COMPLAINTS_OFFICER},
    "request-judgement": HANDLERS,
    "schedule-hearing": frozenset({R.COMPLAINTS_COMMITTEE, R.OFFICE_MANAGER}),
    "record-hearing": frozenset({R.COMPLAINTS_COMMITTEE}),
    "give-judgement": JUDGES,
    "announce-measures": frozenset({R.DIRECTOR, R.MANAGER}),
    "refer-externally": HANDLERS,
    "extend-term": HANDLERS,
    "suspend-term": HANDLERS,
    "resume-term": HANDLERS,
    "withdraw": STAFF,
    "reopen": frozenset({R.COMPLAINTS_OFFICER, R.MANAGER, R.DIRECTOR, R.OFFICE_MANAGER}),
    "link-as-duplicate": frozenset({R.COMPLAINTS_OFFICER, R.OFFICE_MANAGER}),
    "close": HANDLERS | {R.MANAGER},
    "erase": frozenset({R.PRIVACY_OFFICER}),
    "register-confidant-contact": frozenset({R.CONFIDANT}),
    "give-consent": INFORMAL | {R.CONFIDANT},
    "withdraw-consent": INFORMAL | {R.CONFIDANT},
    "raise-safety-concern": STAFF | {R.CONFIDANT},
    "lift-confidentiality": STAFF | {R.CONFIDANT},
}
"""Each staff command on a case and the roles that may send it (docs/services/escalation.md, "Roles")."""


def _open(service: str, method: str, path: str, ok: int = 200, send: Send = Send.QUERY) -> Row:
    return Row(service, method, path, Gate.OPEN, ok, send)


def _plumbing(service: str) -> tuple[Row, ...]:
    """What every service serves to anyone: probes and its API's documents."""
    documents = ("/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc")
    return (
        _open(service, "GET", "/healthz"),
        _open(service, "GET", "/readyz"),
        *(_open(service, method, path) for path in documents for method in ("GET", "HEAD")),
    )


def _stylesheets(service: str, prefix: str, names: tuple[str, ...]) -> tuple[Row, ...]:
    return tuple(_open(service, "GET", f"{prefix}/{name}") for name in names)


def _command(name: str) -> Row:
    return Row("escalation", "POST", COMMAND + name, Gate.ROLES, 422, Send.PROBE, COMMANDS[name])


def _dossier(
    path: str, ok: int, send: Send = Send.DOSSIER_COMMAND, shows: Shows = Shows.NOT_A_READ, rule: str = ""
) -> Row:
    rules = MappingProxyType({"*": rule} if rule else {})
    return Row("escalation", "POST", DOSSIER + path, Gate.SECRET, ok, send, shows=shows, rules=rules)


def _dashboard(path: str, roles: frozenset[Role], query: dict[str, str] | None = None) -> Row:
    return Row(
        "reporting",
        "GET",
        "/dashboard" + path,
        Gate.ROLES,
        200,
        roles=roles,
        shows=Shows.NOTHING_PERSONAL,
        via=Via.DASHBOARD_COOKIE,
        query=MappingProxyType(query or {}),
    )


INTAKE = (
    *_plumbing("intake"),
    Row(
        "intake", "POST", "/v1/tenants/{tenant}/signals", Gate.ROLES, 422, Send.PROBE, COMPLAINANTS | INFORMAL
    ),
    _open("intake", "GET", "/v1/public/tenants/{tenant}/complaint-form"),
    _open("intake", "POST", "/v1/public/tenants/{tenant}/complaints", 422, send=Send.HONEYPOT),
    _open("intake", "GET", "/klacht/{tenant}"),
    Row("intake", "POST", "/klacht/{tenant}", Gate.CSRF, 403, Send.FORM),
    *_stylesheets("intake", "/publiek/static", ("base.css", "public.css")),
)

_CONFIDANT_ONLY = frozenset({R.CONFIDANT})
ESCALATION = (
    *_plumbing("escalation"),
    _open("escalation", "GET", "/asyncapi.json"),
    *(_command(name) for name in COMMANDS),
    Row(
        "escalation",
        "POST",
        COMMAND + "contact-organisation",
        Gate.ROLES,
        200,
        Send.CONTACT_ORGANISATION,
        _CONFIDANT_ONLY,
        exceptions=MappingProxyType({"confidant": 409, "confidant-consent": 409}),
        rules=MappingProxyType(
            {"confidant": "confidant_independent", "confidant-consent": "consent_required"}
        ),
        why="the confidant contacts the organisation only with the client's consent (409 "
        "`consent_required`) and only from its own confidant organisation (409 `confidant_independent`)",
    ),
    Row(
        "escalation",
        "POST",
        "/v1/tenants/{tenant}/contacts/{contact_id}/commands/register",
        Gate.ROLES,
        422,
        Send.PROBE,
        _CONFIDANT_ONLY,
    ),
    Row(
        "escalation",
        "POST",
        "/v1/tenants/{tenant}/contacts/{contact_id}/commands/withdraw",
        Gate.ROLES,
        422,
        Send.PROBE,
        _CONFIDANT_ONLY,
    ),
    Row(
        "escalation",
        "GET",
        CASE + "/deadlines",
        Gate.ROLES,
        200,
        roles=STAFF | {R.AUDITOR},
        shows=Shows.NOTHING_PERSONAL,
    ),
    Row(
        "escalation",
        "GET",
        CASE + "/file",
        Gate.ROLES,
        200,
        roles=CASE_FILE_READERS,
        shows=Shows.CASE_FILE,
        exceptions=MappingProxyType({"confidant": 403, "confidant-consent": 403}),
        rules=MappingProxyType(
            {"confidant": "confidant_independent", "confidant-consent": "consent_required"}
        ),
        why="a confidant reads the file only as the case's own confidant (403 `confidant_independent` for "
        "a confidant working for the provider) and only while the client's consent holds (403 "
        "`consent_required`)",
    ),
    Row(
        "escalation",
        "GET",
        CASE + "/history",
        Gate.ROLES,
        200,
        roles=HISTORY_READERS,
        shows=Shows.NOTHING_PERSONAL,
    ),
    Row(
        "escalation",
        "GET",
        "/v1/tenants/{tenant}/access-log/cases/{case_id}",
        Gate.ROLES,
        200,
        roles=frozenset({R.PRIVACY_OFFICER}),
        shows=Shows.NOTHING_PERSONAL,
        exceptions=MappingProxyType({"cross-case": 200}),
        why="the access log answers for any case id what was recorded under this tenant (for another "
        "organisation's case id: the refused reads of it through this tenant's paths), so it tells nothing "
        "of whether that case exists",
    ),
    Row(
        "escalation",
        "GET",
        "/v1/tenants/{tenant}/access-log/people/{subject}",
        Gate.ROLES,
        200,
        roles=frozenset({R.PRIVACY_OFFICER}),
        shows=Shows.NOTHING_PERSONAL,
    ),
    _dossier("", 200, Send.DOSSIER_KEY, Shows.DOSSIER),
    _dossier("/commands/add-information", 200),
    _dossier("/commands/request-next-step", 409, rule="no_step_to_ask"),
    _dossier("/letters/{notification_id}/pdf", 200),
    _open("escalation", "GET", "/dossier/{tenant}"),
    Row("escalation", "POST", "/dossier/{tenant}", Gate.CSRF, 403, Send.FORM),
    Row("escalation", "GET", "/dossier/{tenant}/zaak", Gate.SESSION, 200, shows=Shows.DOSSIER),
    Row(
        "escalation", "GET", "/dossier/{tenant}/brieven/{notification_id}.pdf", Gate.SESSION, 200, refused=303
    ),
    *(
        Row("escalation", "POST", f"/dossier/{{tenant}}/{page}", Gate.CSRF, 403, Send.FORM)
        for page in ("intrekken", "aanvullen", "volgende-stap", "nieuwe-code", "afmelden")
    ),
    *_stylesheets("escalation", "/publiek/static", ("base.css", "public.css")),
    _dossier("/commands/withdraw", 200),
    Row(
        "escalation",
        "POST",
        DOSSIER + "/commands/replace-secret",
        Gate.SECRET,
        200,
        Send.DOSSIER_COMMAND,
        exceptions=MappingProxyType({"dossier@other": 429}),
        why="the sixth wrong secret for one receipt code at one organisation within the hour (the rows "
        "above made five): locked, 5 an hour per code; the code stays open at its own organisation",
    ),
)

NOTIFY = _plumbing("notify")

_STATISTICS = {**YEAR, "format": "json"}
REPORTING = (
    *_plumbing("reporting"),
    Row(
        "reporting",
        "GET",
        "/v1/tenants/{tenant}/cases",
        Gate.ROLES,
        200,
        roles=REPORTING_CASE_READERS,
        shows=Shows.NOTHING_PERSONAL,
    ),
    Row(
        "reporting", "GET", CASE, Gate.ROLES, 200, roles=REPORTING_CASE_READERS, shows=Shows.NOTHING_PERSONAL
    ),
    Row(
        "reporting",
        "GET",
        CASE + "/timeline",
        Gate.ROLES,
        200,
        roles=REPORTING_CASE_READERS,
        shows=Shows.NOTHING_PERSONAL,
    ),
    Row(
        "reporting",
        "GET",
        "/v1/tenants/{tenant}/statistics/categories",
        Gate.ROLES,
        200,
        roles=STATISTICS_READERS,
        shows=Shows.NOTHING_PERSONAL,
        query=MappingProxyType(_STATISTICS),
    ),
    Row(
        "reporting",
        "GET",
        "/v1/tenants/{tenant}/statistics/{dimension}",
        Gate.ROLES,
        200,
        roles=STATISTICS_READERS,
        shows=Shows.NOTHING_PERSONAL,
        query=MappingProxyType(_STATISTICS),
    ),
    Row(
        "reporting",
        "GET",
        "/v1/network/statistics/{dimension}",
        Gate.ANY_TENANT,
        200,
        roles=STATISTICS_READERS,
        shows=Shows.NOTHING_PERSONAL,
        query=MappingProxyType(_STATISTICS),
    ),
    Row(
        "reporting",
        "GET",
        "/v1/tenants/{tenant}/reports/{report}",
        Gate.ROLES,
        200,
        roles=YEARLY_ANALYSIS_READERS,
        shows=Shows.NOTHING_PERSONAL,
        query=MappingProxyType(_STATISTICS),
    ),
    *_stylesheets("reporting", "/dashboard/static", ("base.css", "dashboard.css")),
    _open("reporting", "GET", "/dashboard/aanmelden"),
    Row("reporting", "POST", "/dashboard/aanmelden", Gate.CSRF, 403, Send.FORM),
    Row("reporting", "POST", "/dashboard/afmelden", Gate.CSRF, 403, Send.FORM),
    Row(
        "reporting",
        "GET",
        "/dashboard/",
        Gate.ANY_TENANT,
        303,
        roles=STATISTICS_READERS,
        via=Via.DASHBOARD_COOKIE,
    ),
    _dashboard("/{tenant}", STATISTICS_READERS),
    _dashboard("/{tenant}/trends", STATISTICS_READERS),
    _dashboard("/{tenant}/zaken", REPORTING_CASE_READERS),
    _dashboard("/{tenant}/zaken/{case_id}", REPORTING_CASE_READERS),
    _open("reporting", "GET", "/dashboard/{rest:path}", 404),
)

MATRIX: tuple[Row, ...] = (*INTAKE, *ESCALATION, *NOTIFY, *REPORTING)
