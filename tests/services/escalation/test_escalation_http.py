"""The escalation HTTP app in-process: health, readiness and the AsyncAPI document."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry.sdk.trace import TracerProvider

from services.escalation.bootstrap import bootstrap
from services.escalation.settings import EscalationSettings


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://escalation") as http:
        yield http


async def test_health_and_readiness_when_everything_answers(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "alive"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"database": True, "store": True, "bus": True}}


async def test_not_ready_before_start_and_without_a_database(nats_url: str) -> None:
    settings = EscalationSettings(database_url="postgresql://nobody@127.0.0.1:9/none", nats_url=nats_url)
    app = bootstrap(settings, tracer_provider=TracerProvider()).app
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://escalation") as http:
        ready = await http.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"] == {"database": False, "store": False, "bus": False}


async def test_the_asyncapi_document_names_the_consumed_subjects_and_the_payload(
    client: httpx.AsyncClient, tenant: str
) -> None:
    response = await client.get("/asyncapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["asyncapi"].startswith("3.")
    addresses = [channel["address"] for channel in document["channels"].values()]
    assert f"klachtspoor.{tenant}.SignalReceived" in addresses
    schemas = document["components"]["schemas"]
    assert "RelayedEvent" in schemas
    assert {"event_id", "type", "tenant", "stream", "data"} <= set(schemas["RelayedEvent"]["properties"])
