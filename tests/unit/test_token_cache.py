"""Verified tokens are kept until they expire: served again without checking the signature, never past
``exp`` (on the verifier's clock) or the cache's maximum age, never for another token, and no more than
the cache's size of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt
import pytest

from klachtspoor.auth import AuthError, TokenVerifier
from klachtspoor.auth.cache import DEFAULT_MAX_AGE_SECONDS, VerifiedTokens
from klachtspoor.auth.devkeys import ensure_dev_keys, mint_token, same_roles
from klachtspoor.auth.tokens import Principal, wall_clock


@dataclass
class Clock:
    now: float

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    private, public = ensure_dev_keys(tmp_path_factory.mktemp("jwt"))
    return private.read_text(), public.read_text()


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tokens whose signature PyJWT checked, in order."""
    checked: list[str] = []
    real: Callable[..., Any] = jwt.decode

    def counting(token: str, *args: Any, **kwargs: Any) -> Any:
        checked.append(token)
        return real(token, *args, **kwargs)

    monkeypatch.setattr(jwt, "decode", counting)
    return checked


def _token(keys: tuple[str, str], subject: str = "account-1", ttl: int = 3600) -> str:
    return mint_token(
        keys[0], subject=subject, tenant_roles=same_roles(["demo"], ["client"]), ttl_seconds=ttl
    )


def _exp(token: str) -> int:
    """The token's ``exp``, read without going through the counted ``jwt.decode``."""
    return int(jwt.PyJWT().decode(token, options={"verify_signature": False})["exp"])


async def test_a_verified_token_is_served_again_without_checking_it(
    keys: tuple[str, str], decodes: list[str]
) -> None:
    verifier = TokenVerifier(public_key_pem=keys[1])
    token = _token(keys)
    first = await verifier.verify(token)
    again = await verifier.verify(token)
    assert again is first
    assert decodes == [token]


async def test_an_expired_token_is_refused_even_when_cached(
    keys: tuple[str, str], decodes: list[str]
) -> None:
    clock = Clock(wall_clock())
    verifier = TokenVerifier(public_key_pem=keys[1], clock=clock)
    token = _token(keys, ttl=120)
    await verifier.verify(token)
    clock.now = _exp(token) - 0.5
    assert (await verifier.verify(token)).subject == "account-1"  # still valid: from the cache
    assert len(decodes) == 1
    clock.now = _exp(token)  # expired from exp on, as PyJWT has it
    with pytest.raises(AuthError, match="expired"):
        await verifier.verify(token)
    with pytest.raises(AuthError, match="expired"):
        await verifier.verify(token)
    assert len(decodes) == 3, "checked afresh once the cached entry expired, and refused"


async def test_a_cached_token_is_checked_again_after_the_maximum_age(
    keys: tuple[str, str], decodes: list[str]
) -> None:
    clock = Clock(wall_clock())
    verifier = TokenVerifier(public_key_pem=keys[1], clock=clock)
    token = _token(keys, ttl=3600)
    await verifier.verify(token)
    clock.now += DEFAULT_MAX_AGE_SECONDS
    await verifier.verify(token)
    assert decodes == [token, token]


async def test_another_token_is_not_taken_for_a_cached_one(keys: tuple[str, str], decodes: list[str]) -> None:
    verifier = TokenVerifier(public_key_pem=keys[1])
    mine, theirs = _token(keys, "account-1"), _token(keys, "account-2")
    assert (await verifier.verify(mine)).subject == "account-1"
    assert (await verifier.verify(theirs)).subject == "account-2"
    assert (await verifier.verify(mine)).subject == "account-1"
    tampered = theirs[:-4] + ("AAAA" if not theirs.endswith("AAAA") else "BBBB")
    with pytest.raises(AuthError):
        await verifier.verify(tampered)
    assert decodes == [mine, theirs, tampered]


async def test_a_refused_token_is_not_kept(keys: tuple[str, str], decodes: list[str]) -> None:
    verifier = TokenVerifier(public_key_pem=keys[1], audience="elsewhere")
    token = _token(keys)
    for _ in range(2):
        with pytest.raises(AuthError, match="Audience"):
            await verifier.verify(token)
    assert decodes == [token, token]


async def test_the_cache_holds_at_most_its_size_least_recently_used_dropped_first(
    keys: tuple[str, str], decodes: list[str]
) -> None:
    verifier = TokenVerifier(public_key_pem=keys[1], cache_size=2)
    one, two, three = (_token(keys, f"account-{n}") for n in (1, 2, 3))
    for token in (one, two, one, three):  # one was used after two: two is dropped for three
        await verifier.verify(token)
    assert decodes == [one, two, three]
    await verifier.verify(one)
    await verifier.verify(three)
    assert decodes == [one, two, three]
    await verifier.verify(two)
    assert decodes == [one, two, three, two]


async def test_cache_size_zero_checks_every_time(keys: tuple[str, str], decodes: list[str]) -> None:
    verifier = TokenVerifier(public_key_pem=keys[1], cache_size=0)
    token = _token(keys)
    await verifier.verify(token)
    await verifier.verify(token)
    assert decodes == [token, token]


def test_a_full_cache_drops_expired_entries_before_used_ones() -> None:
    clock = Clock(1000.0)
    cache = VerifiedTokens(clock, max_entries=2)
    principal = Principal.of("account-1", {})
    cache.put("short", principal, expires=1010)
    cache.put("long", principal, expires=5000)
    assert cache.get("short") is principal  # the most recently used, but expired by the next put
    clock.now = 1010
    cache.put("new", principal, expires=5000)
    assert len(cache) == 2
    assert (cache.get("short"), cache.get("long"), cache.get("new")) == (None, principal, principal)


def test_a_token_already_expired_is_not_kept() -> None:
    cache = VerifiedTokens(Clock(1000.0))
    cache.put("old", Principal.of("account-1", {}), expires=1000)
    assert len(cache) == 0
