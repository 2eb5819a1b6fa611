"""The identity provider's key set is fetched again every ``refresh_seconds``: a new key is taken at once,
a withdrawn one is refused from the next fetch on (its cached tokens too), and a provider that is away
leaves the last set in use instead of refusing everyone. Served by a real HTTP server on loopback."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from klachtspoor.auth import AuthError, TokenVerifier
from klachtspoor.auth.devkeys import mint_token, same_roles
from klachtspoor.auth.keyset import JwksKeySet, UnknownSigningKey


@dataclass
class Provider:
    """What the JWKS URL serves: the public keys by kid, or 503 while ``down``; and how often it was asked."""

    keys: dict[str, dict[str, Any]] = field(default_factory=dict)
    down: bool = False
    fetches: int = 0
    url: str = ""


@dataclass
class Clock:
    now: float = 0.0

    def __call__(self) -> float:
        return self.now


def _private_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@pytest.fixture(scope="module")
def signing_keys() -> dict[str, str]:
    """The identity provider's private keys by kid."""
    return {"key-a": _private_key(), "key-b": _private_key()}


@pytest.fixture
def provider(signing_keys: dict[str, str]) -> Iterator[Provider]:
    state = Provider()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.fetches += 1
            if state.down:
                self.send_response(503)
                self.end_headers()
                return
            body = json.dumps({"keys": list(state.keys.values())}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the test reads ``fetches``."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def publish(provider: Provider, signing_keys: dict[str, str], kid: str) -> None:
    """Serve ``kid``'s public key in the set, as the identity provider does after a rotation."""
    private = serialization.load_pem_private_key(signing_keys[kid].encode(), None)
    assert isinstance(private, rsa.RSAPrivateKey)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    provider.keys[kid] = {**jwk, "kid": kid, "use": "sig", "alg": "RS256"}


def token(signing_keys: dict[str, str], kid: str) -> str:
    return mint_token(
        signing_keys[kid], subject="account-1", tenant_roles=same_roles(["demo"], ["client"]), kid=kid
    )


def test_a_withdrawn_key_is_refused_from_the_next_fetch_on(
    provider: Provider, signing_keys: dict[str, str]
) -> None:
    publish(provider, signing_keys, "key-a")
    clock = Clock()
    keys = JwksKeySet(provider.url, refresh_seconds=300, cooldown_seconds=30, clock=clock)
    signed = token(signing_keys, "key-a")
    assert keys.key_for(signed) is not None
    del provider.keys["key-a"]
    clock.now = 299.0
    assert keys.key_for(signed) is not None, "until the next fetch the set is the one fetched"
    assert provider.fetches == 1
    clock.now = 300.0
    with pytest.raises(UnknownSigningKey, match="key-a"):
        keys.key_for(signed)
    assert provider.fetches == 2


def test_a_new_key_is_fetched_at_once_but_made_up_kids_do_not_hammer_the_provider(
    provider: Provider, signing_keys: dict[str, str]
) -> None:
    publish(provider, signing_keys, "key-a")
    clock = Clock()
    keys = JwksKeySet(provider.url, refresh_seconds=300, cooldown_seconds=30, clock=clock)
    keys.key_for(token(signing_keys, "key-a"))
    clock.now = 31.0
    publish(provider, signing_keys, "key-b")
    assert keys.key_for(token(signing_keys, "key-b")) is not None
    assert provider.fetches == 2
    forged = jwt.encode({"sub": "x"}, signing_keys["key-a"], algorithm="RS256", headers={"kid": "nobody"})
    for _ in range(5):
        with pytest.raises(UnknownSigningKey, match="nobody"):
            keys.key_for(forged)
    assert provider.fetches == 2, "within the cooldown an unknown kid fetches nothing more"


def test_a_provider_that_is_away_leaves_the_last_set_in_use(
    provider: Provider, signing_keys: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    publish(provider, signing_keys, "key-a")
    clock = Clock()
    keys = JwksKeySet(provider.url, refresh_seconds=300, cooldown_seconds=30, clock=clock)
    signed = token(signing_keys, "key-a")
    keys.key_for(signed)
    provider.down = True
    clock.now = 400.0
    assert keys.key_for(signed) is not None
    assert "the last one (1 keys) stays in use" in caplog.text
    clock.now = 410.0
    keys.key_for(signed)
    assert provider.fetches == 2, "a failed fetch is tried again after the cooldown, not on every request"
    provider.down = False
    del provider.keys["key-a"]
    clock.now = 431.0
    with pytest.raises(UnknownSigningKey):
        keys.key_for(signed)


def test_without_an_earlier_set_a_failed_fetch_is_an_error(
    provider: Provider, signing_keys: dict[str, str]
) -> None:
    provider.down = True
    keys = JwksKeySet(provider.url)
    with pytest.raises(jwt.PyJWKClientError):
        keys.key_for(token(signing_keys, "key-a"))


async def test_the_verifier_refuses_a_withdrawn_keys_token_even_when_it_had_cached_it(
    provider: Provider, signing_keys: dict[str, str]
) -> None:
    """The cache keeps a token no longer than the key set is kept, so withdrawing reaches cached tokens."""
    publish(provider, signing_keys, "key-a")
    verifier = TokenVerifier(jwks_url=provider.url, allow_loopback_http=True, jwks_refresh_seconds=0.2)
    signed = token(signing_keys, "key-a")
    assert (await verifier.verify(signed)).subject == "account-1"
    assert (await verifier.verify(signed)).subject == "account-1"
    assert provider.fetches == 1
    del provider.keys["key-a"]
    threading.Event().wait(0.5)  # past the refresh: the next verification fetches the set again
    with pytest.raises(AuthError, match="No signing key for this token"):
        await verifier.verify(signed)


async def test_a_token_without_a_kid_is_refused(provider: Provider, signing_keys: dict[str, str]) -> None:
    publish(provider, signing_keys, "key-a")
    verifier = TokenVerifier(jwks_url=provider.url, allow_loopback_http=True)
    unnamed = mint_token(
        signing_keys["key-a"], subject="account-1", tenant_roles=same_roles(["demo"], ["client"])
    )
    with pytest.raises(AuthError, match="names no key"):
        await verifier.verify(unnamed)
    assert provider.fetches == 0
