"""One way to build a service's FastAPI app: problem+json errors, body limit, health and readiness."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from klachtspoor.http.limits import BodySizeLimit
from klachtspoor.http.openapi import install_problem_documentation
from klachtspoor.http.problems import install_problem_handlers

ReadinessCheck = Callable[[], Awaitable[dict[str, bool]]]
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


class Liveness(BaseModel):
    model_config = ConfigDict(frozen=True)
    status: str


class Readiness(BaseModel):
    """What ``/readyz`` answers, with 200 and with 503 alike: a load balancer reads the status only."""

    model_config = ConfigDict(frozen=True)
    status: str
    checks: dict[str, bool]


def create_app(
    title: str,
    *,
    readiness: ReadinessCheck,
    lifespan: Lifespan | None = None,
    max_body_bytes: int = 64 * 1024,
    description: str = "",
) -> FastAPI:
    """``/healthz`` answers while the process lives; ``/readyz`` only when every dependency answers."""
    app = FastAPI(title=title, description=description, lifespan=lifespan)
    install_problem_handlers(app)
    install_problem_documentation(app)
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)

    @app.get("/healthz", tags=["health"], response_model=Liveness)
    async def healthz() -> Liveness:
        return Liveness(status="alive")

    @app.get(
        "/readyz",
        tags=["health"],
        response_model=Readiness,
        responses={503: {"model": Readiness, "description": "A dependency does not answer"}},
    )
    async def readyz() -> JSONResponse:
        checks = await readiness()
        ready = all(checks.values())
        body = Readiness(status="ready" if ready else "not ready", checks=checks)
        return JSONResponse(body.model_dump(), status_code=200 if ready else 503)

    return app


async def no_lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield
