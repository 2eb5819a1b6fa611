"""A request body accepts the JSON types its schema documents and no other: FastAPI's lax validation
would otherwise take the number 0 for 1 January 1970 or for false, and the text "3" for an integer, and
accept a request its document calls invalid."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict

from klachtspoor.http.app import create_app
from klachtspoor.http.bodies import JsonBool, JsonDate, JsonInt, JsonMoment


class Meeting(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    held_on: JsonDate
    starts_at: JsonMoment | None = None
    written: JsonBool = False
    attendees: JsonInt = 1


async def _ready() -> dict[str, bool]:
    return {}


@pytest.fixture
def app() -> FastAPI:
    app = create_app("test", readiness=_ready)

    @app.post("/meetings")
    async def create(body: Meeting) -> Meeting:
        return body

    return app


async def _post(app: FastAPI, body: dict[str, Any]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.post("/meetings", json=body)


async def test_iso_text_is_a_date_and_a_moment(app: FastAPI) -> None:
    body = {
        "held_on": "2026-03-02",
        "starts_at": "2026-03-02T10:30:00+01:00",
        "written": True,
        "attendees": 3,
    }
    response = await _post(app, body)
    assert response.status_code == 200, response.text
    assert response.json() == body


async def test_an_integral_number_is_an_integer_as_in_json_schema(app: FastAPI) -> None:
    response = await _post(app, {"held_on": "2026-03-02", "attendees": 3.0})
    assert response.status_code == 200, response.text
    assert response.json()["attendees"] == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"held_on": 0}, "body.held_on"),
        ({"held_on": 1772409600}, "body.held_on"),
        ({"held_on": True}, "body.held_on"),
        ({"held_on": "2026-03-02", "starts_at": 0}, "body.starts_at"),
        ({"held_on": "2026-03-02", "starts_at": 1772443800.5}, "body.starts_at"),
        ({"held_on": "2026-03-02", "written": 0}, "body.written"),
        ({"held_on": "2026-03-02", "written": "true"}, "body.written"),
        ({"held_on": "2026-03-02", "attendees": "3"}, "body.attendees"),
        ({"held_on": "2026-03-02", "attendees": True}, "body.attendees"),
        ({"held_on": "2026-03-02", "attendees": 3.5}, "body.attendees"),
    ],
)
async def test_only_the_documented_json_type_is_accepted(
    app: FastAPI, body: dict[str, Any], field: str
) -> None:
    response = await _post(app, body)
    assert response.status_code == 422, response.text
    assert [error["field"] for error in response.json()["errors"]] == [field]
