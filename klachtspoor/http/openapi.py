"""The OpenAPI document says which problems an operation can answer, in the media type it answers them in.

Routes declare the statuses that are theirs (409 for a rule, 410 for an erased case) with a description.
What the shared plumbing itself answers is added to every operation it applies to, so no route can forget
it: 400 and 413 where there is a body (malformed JSON, over the size limit), 422 where there are parameters
or a body, 404 where there are path parameters, 401, 403 and 503 where a bearer token is needed (such an
operation reads a store), and 500 everywhere. Every error response, declared or added, is documented as
``application/problem+json`` with the :data:`PROBLEM_SCHEMA`, which is what the handlers send.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from klachtspoor.http.problems import PROBLEM_JSON

PROBLEM_REF = "#/components/schemas/Problem"
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details; `errors` names each bad field, never its value.",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "description": "Always `about:blank`: the status says what happened"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
    "additionalProperties": True,
}
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
FRAMEWORK_SCHEMAS = ("HTTPValidationError", "ValidationError")
"""FastAPI's own 422 body, which no service sends (its 422 is a problem document)."""


def plumbing_statuses(operation: dict[str, Any]) -> dict[str, str]:
    """The statuses the shared plumbing can answer for this operation, with a description each."""
    statuses = {"500": "Unexpected error"}
    parameters = operation.get("parameters", [])
    if "requestBody" in operation:
        statuses["400"] = "Malformed JSON"
        statuses["413"] = "Request body over the size limit"
    if parameters or "requestBody" in operation:
        statuses["422"] = "Invalid parameter or field; `errors` names each"
    if any(parameter.get("in") == "path" for parameter in parameters):
        statuses["404"] = "Not found"
    if operation.get("security"):
        statuses["401"] = "No valid bearer token"
        statuses["403"] = "The token's roles may not do this"
        statuses["404"] = "Not found, or a tenant this token does not act for"
        statuses["503"] = "A store the service needs is unavailable; retry in a moment"
    return statuses


def _framework_default(content: dict[str, Any] | None) -> bool:
    """No content, or only what FastAPI fills in by itself (an empty schema or its validation error)."""
    if not content:
        return True
    if set(content) != {"application/json"}:
        return False
    schema = content["application/json"].get("schema", {})
    return schema in ({}, *({"$ref": f"#/components/schemas/{name}"} for name in FRAMEWORK_SCHEMAS))


def document_problems(document: dict[str, Any]) -> dict[str, Any]:
    """Add the plumbing's statuses to every operation and document every error as a problem (in place)."""
    for path_item in document.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in plumbing_statuses(operation).items():
                responses.setdefault(status, {"description": description})
            for status, response in responses.items():
                if status[0] in "45" and _framework_default(response.get("content")):
                    response["content"] = {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}}}
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    for name in FRAMEWORK_SCHEMAS:
        unused = schemas.pop(name, None)
        if unused is not None and f'"#/components/schemas/{name}"' in json.dumps(document):
            schemas[name] = unused
    return document


def install_problem_documentation(app: FastAPI) -> None:
    """Wrap ``app.openapi`` (FastAPI's documented way to change the document), built once on first use."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_problems(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
