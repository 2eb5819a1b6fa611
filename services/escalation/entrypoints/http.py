"""The HTTP side: health, readiness and the AsyncAPI document of what the service consumes.

Staff commands come in a later step; for now the app exists so the process is observable and its bus
contract is published (``GET /asyncapi.json``).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from faststream.nats import NatsBroker
from faststream.specification import AsyncAPI

from klachtspoor.http.app import Lifespan, ReadinessCheck, create_app

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
        description="The case workflow: reacts to committed case events and decides what follows.",
    )
    document = asyncapi_document(broker)

    @app.get(ASYNCAPI_PATH, tags=["bus"], summary="AsyncAPI document of the consumed subjects")
    async def asyncapi() -> dict[str, Any]:
        return document

    return app
