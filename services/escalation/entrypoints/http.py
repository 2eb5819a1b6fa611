"""The HTTP side: health, readiness, the AsyncAPI document of what the service consumes, the staff
commands (``POST /v1/tenants/{tenant}/cases/{case_id}/commands/<name>``), a confidant's contacts on no case
(``POST /v1/tenants/{tenant}/contacts/{contact_id}/commands/register``), the case's deadlines, the case file
(``GET …/cases/{case_id}/file``), its history as of a moment (``GET …/cases/{case_id}/history``) and the
privacy officer's reads of the access log; the complainant's dossier without an account, as JSON
(``POST /v1/public/tenants/{tenant}/dossier…``) and as pages (``/dossier/{tenant}``)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from faststream.nats import NatsBroker
from faststream.specification import AsyncAPI

from klachtspoor.http.app import Lifespan, ReadinessCheck, create_app
from klachtspoor.web.public import mount_static
from services.escalation.entrypoints import (
    accesslog_routes,
    case_routes,
    casefile_route,
    contact_routes,
    deadlines_route,
    dossier_letters,
    dossier_pages,
    dossier_routes,
    history_route,
    lifecycle_routes,
    support_routes,
)

ASYNCAPI_PATH = "/asyncapi.json"


def asyncapi_document(broker: NatsBroker) -> dict[str, Any]:
    """FastStream's AsyncAPI 3.0 document of the broker's subscribers (built without connecting)."""
    spec = AsyncAPI(
        broker,
        title="klachtspoor escalation",
        version="0.1.0",
        description="Case events the escalation service consumes from NATS JetStream.",
        schema_version="3.0.0",
    )
    document: dict[str, Any] = spec.to_specification().to_jsonable()
    return document


def create_http_app(
    broker: NatsBroker, *, readiness: ReadinessCheck, lifespan: Lifespan, max_body_bytes: int
) -> FastAPI:
    app = create_app(
        "klachtspoor escalation",
        readiness=readiness,
        lifespan=lifespan,
        max_body_bytes=max_body_bytes,
        description="The case workflow: reacts to committed case events and decides what follows; "
        "staff move a case through its procedure with commands.",
    )
    for routes in (
        lifecycle_routes,
        case_routes,
        support_routes,
        contact_routes,
        deadlines_route,
        casefile_route,
        history_route,
        accesslog_routes,
        dossier_routes,
        dossier_letters,
        dossier_pages,
    ):
        app.include_router(routes.router)
    mount_static(app)
    document = asyncapi_document(broker)

    @app.get(ASYNCAPI_PATH, tags=["bus"], summary="AsyncAPI document of the consumed subjects")
    async def asyncapi() -> dict[str, Any]:
        return document

    return app
