"""The shared HTTP plumbing: tokens, tenant and role checks, problem+json, body limit, health."""

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import jwt
import pytest
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict

from contracts.vocabulary import Role
from klachtspoor.auth import AuthError, TokenVerifier
from klachtspoor.auth.devkeys import ensure_dev_keys, mint_token, same_roles
from klachtspoor.http.app import create_app
from klachtspoor.http.security import CurrentPrincipal, authorize
from klachtspoor_devtools.devstack.process import free_port


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    count: int


async def _ready() -> dict[str, bool]:
    return {"database": True, "bus": False}


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    private, public = ensure_dev_keys(tmp_path_factory.mktemp("jwt"))
    return private.read_text(), public.read_text()


@pytest.fixture
def app(keys: tuple[str, str]) -> FastAPI:
    app = create_app("test", readiness=_ready, max_body_bytes=200)
    app.state.token_verifier = TokenVerifier(public_key_pem=keys[1])

    @app.post("/v1/tenants/{tenant}/things")
    async def create(tenant: str, body: Body, principal: CurrentPrincipal) -> dict[str, str]:
        authorize(principal, tenant, frozenset({Role.CARE_WORKER}))
        return {"created": body.name}

    return app


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


def _token(keys: tuple[str, str], tenants: list[str], roles: list[str], **kw: int) -> dict[str, str]:
    return {
        "Authorization": "Bearer "
        + mint_token(keys[0], subject="u1", tenant_roles=same_roles(tenants, roles), **kw)
    }


async def test_valid_token_right_tenant_and_role_passes(app: FastAPI, keys: tuple[str, str]) -> None:
    async with _client(app) as client:
        response = await client.post(
            "/v1/tenants/demo/things",
            json={"name": "a", "count": 1},
            headers=_token(keys, ["demo"], ["care_worker"]),
        )
    assert response.status_code == 200, response.text
    assert response.json() == {"created": "a"}


@pytest.mark.parametrize(
    ("tenants", "roles", "status"),
    [(["other"], ["care_worker"], 404), (["demo"], ["auditor"], 403), (["other"], ["auditor"], 404)],
)
async def test_tenant_before_role(
    app: FastAPI, keys: tuple[str, str], tenants: list[str], roles: list[str], status: int
) -> None:
    async with _client(app) as client:
        response = await client.post(
            "/v1/tenants/demo/things", json={"name": "a", "count": 1}, headers=_token(keys, tenants, roles)
        )
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert "created" not in response.text


async def test_missing_expired_and_foreign_tokens_are_401(
    app: FastAPI, keys: tuple[str, str], tmp_path: Path
) -> None:
    other_private, _ = ensure_dev_keys(tmp_path / "other")
    foreign = mint_token(
        other_private.read_text(), subject="u1", tenant_roles=same_roles(["demo"], ["care_worker"])
    )
    async with _client(app) as client:
        missing = await client.post("/v1/tenants/demo/things", json={"name": "a", "count": 1})
        expired = await client.post(
            "/v1/tenants/demo/things",
            json={"name": "a", "count": 1},
            headers=_token(keys, ["demo"], ["care_worker"], ttl_seconds=-10),
        )
        forged = await client.post(
            "/v1/tenants/demo/things",
            json={"name": "a", "count": 1},
            headers={"Authorization": f"Bearer {foreign}"},
        )
    assert [r.status_code for r in (missing, expired, forged)] == [401, 401, 401]
    assert missing.headers["www-authenticate"] == "Bearer"
    assert "expired" in expired.json()["detail"].lower()


async def test_validation_errors_name_the_fields(app: FastAPI, keys: tuple[str, str]) -> None:
    headers = _token(keys, ["demo"], ["care_worker"])
    async with _client(app) as client:
        unknown = await client.post(
            "/v1/tenants/demo/things", json={"name": "a", "count": 1, "secret": "x"}, headers=headers
        )
        missing = await client.post("/v1/tenants/demo/things", json={"name": "a"}, headers=headers)
        malformed = await client.post(
            "/v1/tenants/demo/things",
            content=b"{not json",
            headers=headers | {"content-type": "application/json"},
        )
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["body.secret"]
    assert missing.status_code == 422
    assert [e["field"] for e in missing.json()["errors"]] == ["body.count"]
    assert malformed.status_code == 400
    assert malformed.json()["title"] == "Malformed JSON"


async def test_body_over_limit_is_413(app: FastAPI, keys: tuple[str, str]) -> None:
    async with _client(app) as client:
        response = await client.post(
            "/v1/tenants/demo/things",
            json={"name": "x" * 500, "count": 1},
            headers=_token(keys, ["demo"], ["care_worker"]),
        )
    assert response.status_code == 413
    assert response.json()["title"] == "Request body too large"


async def test_health_and_readiness(app: FastAPI) -> None:
    async with _client(app) as client:
        alive = await client.get("/healthz")
        ready = await client.get("/readyz")
    assert alive.status_code == 200
    assert ready.status_code == 503
    assert ready.json()["checks"] == {"database": True, "bus": False}


def _signed(keys: tuple[str, str], **claims: object) -> dict[str, str]:
    """A token with exactly ``claims`` on top of issuer and audience (to leave out or stretch one)."""
    now = int(time.time())
    base: dict[str, object] = {"sub": "u1", "iss": "klachtspoor-dev", "aud": "klachtspoor", "iat": now}
    body = {**base, "exp": now + 600, "tenant_roles": {"demo": ["care_worker"]}, **claims}
    token = jwt.encode({k: v for k, v in body.items() if v is not None}, keys[0], algorithm="RS256")
    return {"Authorization": f"Bearer {token}"}


async def test_a_role_counts_only_in_the_tenant_it_is_granted_in(app: FastAPI, keys: tuple[str, str]) -> None:
    """Care worker in `other`, auditor in `demo`: in `demo` the token is an auditor only (403)."""
    mixed = mint_token(keys[0], subject="u1", tenant_roles={"other": ["care_worker"], "demo": ["auditor"]})
    granted = mint_token(keys[0], subject="u1", tenant_roles={"other": ["auditor"], "demo": ["care_worker"]})
    async with _client(app) as client:
        refused = await client.post(
            "/v1/tenants/demo/things",
            json={"name": "a", "count": 1},
            headers={"Authorization": f"Bearer {mixed}"},
        )
        allowed = await client.post(
            "/v1/tenants/demo/things",
            json={"name": "a", "count": 1},
            headers={"Authorization": f"Bearer {granted}"},
        )
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert allowed.status_code == 200, allowed.text


@pytest.mark.parametrize(
    ("claims", "named"),
    [
        ({"iat": None}, "iat"),
        ({"exp": int(time.time()) + 13 * 3600}, "lifetime"),
        ({"tenant_roles": None}, "tenant_roles"),
        ({"tenant_roles": ["demo"]}, "tenant_roles"),
        ({"tenant_roles": {"demo": []}}, "demo"),
        ({"tenant_roles": {"demo": ["boss"]}}, "unknown role"),
        ({"tenants": ["demo"], "roles": ["care_worker"], "tenant_roles": None}, "tenant_roles"),
    ],
)
async def test_tokens_without_iat_too_long_lived_or_without_tenant_roles_are_401(
    app: FastAPI, keys: tuple[str, str], claims: dict[str, object], named: str
) -> None:
    async with _client(app) as client:
        response = await client.post(
            "/v1/tenants/demo/things", json={"name": "a", "count": 1}, headers=_signed(keys, **claims)
        )
        valid = await client.post(
            "/v1/tenants/demo/things", json={"name": "a", "count": 1}, headers=_signed(keys)
        )
    assert response.status_code == 401, response.text
    assert named in response.json()["detail"]
    assert valid.status_code == 200, valid.text


async def test_the_lifetime_cap_is_a_setting(keys: tuple[str, str]) -> None:
    """exp - iat of one hour: refused under a 30-minute cap, accepted under the 12-hour default."""
    token = mint_token(keys[0], subject="u1", tenant_roles={"demo": ["care_worker"]}, ttl_seconds=3600)
    strict = TokenVerifier(public_key_pem=keys[1], max_lifetime_seconds=1800)
    with pytest.raises(AuthError, match="lifetime"):
        await strict.verify(token)
    principal = await TokenVerifier(public_key_pem=keys[1]).verify(token)
    assert principal.roles_in("demo") == frozenset({Role.CARE_WORKER})
    assert principal.roles_in("other") == frozenset()


async def _chunks(total: int, size: int = 64) -> AsyncIterator[bytes]:
    """A JSON body sent in pieces, without a Content-Length (Transfer-Encoding: chunked)."""
    body = json.dumps({"name": "x" * total, "count": 1}).encode()
    for start in range(0, len(body), size):
        yield body[start : start + size]


async def test_a_chunked_body_over_the_limit_is_413_like_a_declared_one(
    app: FastAPI, keys: tuple[str, str]
) -> None:
    headers = _token(keys, ["demo"], ["care_worker"]) | {"content-type": "application/json"}
    async with _client(app) as client:
        over = await client.post("/v1/tenants/demo/things", content=_chunks(500), headers=headers)
        under = await client.post("/v1/tenants/demo/things", content=_chunks(20), headers=headers)
    assert over.request.headers.get("transfer-encoding") == "chunked"
    assert "content-length" not in over.request.headers
    assert over.status_code == 413, over.text
    assert over.headers["content-type"] == "application/problem+json"
    assert over.json()["title"] == "Request body too large"
    assert under.status_code == 200, under.text


async def test_a_chunked_body_over_the_limit_is_413_through_uvicorn(
    app: FastAPI, keys: tuple[str, str]
) -> None:
    """The same through a real server and socket: uvicorn hands the chunks over as they arrive."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning"))
    serving = asyncio.create_task(server.serve())
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            await asyncio.sleep(0.02)
        headers = _token(keys, ["demo"], ["care_worker"]) | {"content-type": "application/json"}
        url = f"http://127.0.0.1:{server.config.port}/v1/tenants/demo/things"
        async with httpx.AsyncClient(timeout=5) as client:
            over = await client.post(url, content=_chunks(5000), headers=headers)
            under = await client.post(url, content=_chunks(20), headers=headers)
    finally:
        server.should_exit = True
        await serving
    assert over.status_code == 413, over.text
    assert over.headers["content-type"] == "application/problem+json"
    assert under.status_code == 200, under.text
