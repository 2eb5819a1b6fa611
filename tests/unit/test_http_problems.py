"""The shared HTTP plumbing answers every error as problem+json and its OpenAPI document says so: an
unexpected error is a 500 and an unavailable store a 503, neither naming a host, DSN or query; a 405
carries ``Allow``; every operation documents the problems the plumbing can answer for it."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict

from klachtspoor.crypto.errors import CaseErased, KeyStoreUnavailable
from klachtspoor.eventstore.errors import StoreUnavailable
from klachtspoor.http.app import create_app
from klachtspoor.http.problems import PROBLEM_JSON, UNAVAILABLE_DETAIL, UNEXPECTED_DETAIL
from klachtspoor.http.security import CurrentPrincipal

INTERNAL = "PostgreSQL at db.internal:5432/klachtspoor is down during SELECT data FROM eventstore.events"
FAILURES: dict[str, Exception] = {
    "event-store": StoreUnavailable(INTERNAL),
    "key-store": KeyStoreUnavailable(INTERNAL),
    "pool-timeout": TimeoutError(INTERNAL),
    "refused": ConnectionRefusedError(INTERNAL),
    "starting-up": asyncpg.CannotConnectNowError(INTERNAL),
    "pool-closed": asyncpg.InterfaceError(INTERNAL),
    "bug": RuntimeError(INTERNAL),
    "lookup": KeyError(INTERNAL),
    "erased": CaseErased("jeugdzorg-noord", "3f2a9c1e-7b4d-4e8a-9c2f-1a2b3c4d5e6f"),
}


class Thing(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str


async def _ready() -> dict[str, bool]:
    return {"database": True}


@pytest.fixture
def app() -> FastAPI:
    app = create_app("test", readiness=_ready)

    @app.get("/fail/{failure}")
    async def fail(failure: str) -> dict[str, str]:
        raise FAILURES[failure]

    @app.post("/v1/tenants/{tenant}/things", responses={409: {"description": "Already there"}})
    async def create(tenant: str, body: Thing, principal: CurrentPrincipal) -> Thing:
        return body

    return app


def _client(app: FastAPI) -> httpx.AsyncClient:
    """The server re-raises an unexpected error after answering (so it is logged with its traceback):
    the transport must hand over the answer instead of raising it again."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


@pytest.mark.parametrize(
    ("failure", "status", "detail"),
    [
        ("event-store", 503, UNAVAILABLE_DETAIL),
        ("key-store", 503, UNAVAILABLE_DETAIL),
        ("pool-timeout", 503, UNAVAILABLE_DETAIL),
        ("refused", 503, UNAVAILABLE_DETAIL),
        ("starting-up", 503, UNAVAILABLE_DETAIL),
        ("pool-closed", 503, UNAVAILABLE_DETAIL),
        ("bug", 500, UNEXPECTED_DETAIL),
        ("lookup", 500, UNEXPECTED_DETAIL),
    ],
)
async def test_an_unhandled_error_is_a_problem_naming_nothing_internal(
    app: FastAPI, failure: str, status: int, detail: str
) -> None:
    async with _client(app) as client:
        response = await client.get(f"/fail/{failure}")

    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json() == {"type": "about:blank", "title": response.json()["title"], "status": status} | {
        "detail": detail
    }
    for internal in ("db.internal", "5432", "klachtspoor", "SELECT", "eventstore"):
        assert internal not in response.text


async def test_a_method_the_path_does_not_have_is_405_with_allow(app: FastAPI) -> None:
    async with _client(app) as client:
        for method in ("TRACE", "DELETE", "PUT"):
            response = await client.request(method, "/healthz")
            assert response.status_code == 405
            assert response.headers["content-type"] == PROBLEM_JSON
            assert set(response.headers["allow"].split(", ")) == {"GET"}


def _operation(document: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    operation: dict[str, Any] = document["paths"][path][method]
    return operation


def test_every_error_response_is_documented_as_a_problem(app: FastAPI) -> None:
    document = app.openapi()

    create = _operation(document, "/v1/tenants/{tenant}/things", "post")["responses"]
    assert set(create) == {"200", "400", "401", "403", "404", "409", "413", "422", "500", "503"}
    assert create["409"]["description"] == "Already there", "a route's own description is kept"
    fail = _operation(document, "/fail/{failure}", "get")["responses"]
    assert set(fail) == {"200", "404", "422", "500"}, "no token, no body: no 401/403/400/413/503"
    healthz = _operation(document, "/healthz", "get")["responses"]
    assert set(healthz) == {"200", "500"}
    readyz = _operation(document, "/readyz", "get")["responses"]
    readiness = {"$ref": "#/components/schemas/Readiness"}
    assert readyz["503"]["content"]["application/json"]["schema"] == readiness

    problem = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, path_item in document["paths"].items():
        for operation in path_item.values():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")) and (path, status) != ("/readyz", "503"):
                    assert response["content"] == problem, f"{path} {status}"
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas
    assert schemas["Problem"]["required"] == ["type", "title", "status"]


async def test_writing_personal_data_to_a_shredded_case_is_410_case_erased(app: FastAPI) -> None:
    async with _client(app) as client:
        response = await client.get("/fail/erased")
    assert response.status_code == 410
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["rule"] == "case_erased"
    assert "3f2a9c1e" not in response.text
