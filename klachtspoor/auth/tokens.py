"""Token verification: RS256 only, with a public key (PEM) or the identity provider's JWKS URL.

Claims (docs/security.md): ``sub`` (opaque subject id), ``tenant_roles`` (an object mapping each tenant
slug the token may act for to the list of roles it holds *in that tenant*), ``iat``, ``exp``, ``iss`` and
``aud``. Roles are bound to tenants: a complaints officer of one organisation is no complaints officer of
another tenant the same token lists. ``iat`` is required and ``exp - iat`` may not exceed the configured
maximum lifetime, so a leaked token cannot be valid for long. Nothing else in the token is trusted.

A token that passed is kept (:class:`~klachtspoor.auth.cache.VerifiedTokens`) until it expires, so the
signature of a client's token is checked once, not on every request. ``exp`` is judged by the verifier's
clock, for fresh and cached tokens alike: the wall clock PyJWT checks it against too (a test may pass its
own, which then decides for both).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import jwt

from contracts.vocabulary import Role
from klachtspoor.auth.cache import DEFAULT_MAX_AGE_SECONDS, DEFAULT_MAX_ENTRIES, VerifiedTokens
from klachtspoor.auth.jwks import check_jwks_url
from klachtspoor.auth.keyset import DEFAULT_REFRESH_SECONDS, JwksKeySet, UnknownSigningKey

if TYPE_CHECKING:
    from klachtspoor.settings import Settings

TENANT_ROLES_CLAIM = "tenant_roles"
DEFAULT_MAX_LIFETIME_SECONDS = 12 * 3600
REQUIRED_CLAIMS = ("sub", "iat", "exp", "iss", "aud", TENANT_ROLES_CLAIM)


class AuthError(Exception):
    """The token is missing, malformed, expired, wrongly signed or lacks required claims (HTTP 401)."""


@dataclass(frozen=True, slots=True, eq=False)
class Principal:
    """Who the token speaks for, and which roles it holds in which tenant."""

    subject: str
    grants: Mapping[str, frozenset[Role]]

    @classmethod
    def of(cls, subject: str, grants: Mapping[str, frozenset[Role]]) -> Principal:
        return cls(subject=subject, grants=MappingProxyType(dict(grants)))

    @property
    def tenants(self) -> frozenset[str]:
        return frozenset(self.grants)

    def may_act_for(self, tenant: str) -> bool:
        return tenant in self.grants

    def roles_in(self, tenant: str) -> frozenset[Role]:
        """The roles this token holds in ``tenant`` (none for a tenant it does not list)."""
        return self.grants.get(tenant, frozenset())

    def has_any_role_in(self, tenant: str, roles: frozenset[Role]) -> bool:
        return bool(self.roles_in(tenant) & roles)


def wall_clock() -> float:
    """Now in seconds since the epoch, as PyJWT reads it when it checks ``iat``, ``nbf`` and ``exp``."""
    return datetime.now(tz=UTC).timestamp()


class TokenVerifier:
    """Verifies bearer tokens; keeps up to ``cache_size`` verified ones until they expire (0: none)."""

    def __init__(
        self,
        *,
        public_key_pem: str | None = None,
        jwks_url: str | None = None,
        issuer: str = "klachtspoor-dev",
        audience: str = "klachtspoor",
        max_lifetime_seconds: int = DEFAULT_MAX_LIFETIME_SECONDS,
        allow_loopback_http: bool = False,
        jwks_refresh_seconds: float = DEFAULT_REFRESH_SECONDS,
        cache_size: int = DEFAULT_MAX_ENTRIES,
        clock: Callable[[], float] = wall_clock,
    ) -> None:
        if not public_key_pem and not jwks_url:
            raise ValueError("A token verifier needs a public key or a JWKS URL")
        if max_lifetime_seconds <= 0:
            raise ValueError("A token verifier needs a positive maximum token lifetime")
        self._public_key = public_key_pem
        self._jwks: JwksKeySet | None = None
        max_age = DEFAULT_MAX_AGE_SECONDS
        if jwks_url:
            check_jwks_url(jwks_url, allow_loopback_http=allow_loopback_http)
            self._jwks = JwksKeySet(jwks_url, refresh_seconds=jwks_refresh_seconds)
            # a token of a withdrawn key leaves the cache no later than its key leaves the set
            max_age = min(max_age, jwks_refresh_seconds)
        self._issuer, self._audience = issuer, audience
        self._max_lifetime = max_lifetime_seconds
        self._clock = clock
        self._verified: VerifiedTokens[Principal] | None = (
            VerifiedTokens(clock, max_entries=cache_size, max_age=max_age) if cache_size > 0 else None
        )

    async def verify(self, token: str) -> Principal:
        """The principal ``token`` speaks for; :class:`AuthError` when it does not pass."""
        if self._verified is not None and (known := self._verified.get(token)) is not None:
            return known
        key: Any = self._public_key
        if self._jwks is not None:
            try:
                key = await asyncio.to_thread(self._jwks.key_for, token)
            except (UnknownSigningKey, jwt.PyJWKClientError) as error:
                raise AuthError(f"No signing key for this token: {error}") from error
            except jwt.PyJWTError as error:
                raise AuthError(f"Invalid token: {error}") from error
        principal, expires = self._decode(token, key)
        if self._verified is not None:
            self._verified.put(token, principal, expires)
        return principal

    def _decode(self, token: str, key: Any) -> tuple[Principal, int]:
        """The token's principal and its ``exp``, once signature and claims passed."""
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=self._audience,
                issuer=self._issuer,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except jwt.PyJWTError as error:
            raise AuthError(f"Invalid token: {error}") from error
        lifetime = claims["exp"] - claims["iat"]
        if lifetime > self._max_lifetime:
            raise AuthError(
                f"Invalid token: its lifetime (exp - iat = {lifetime} s) exceeds the maximum of "
                f"{self._max_lifetime} s"
            )
        expires = int(claims["exp"])
        if expires <= self._clock():  # PyJWT's rule, on the clock the cache serves by
            raise AuthError("Invalid token: Signature has expired")
        return _principal(claims), expires


def _principal(claims: dict[str, Any]) -> Principal:
    granted = claims[TENANT_ROLES_CLAIM]
    if not isinstance(granted, dict) or not granted:
        raise AuthError(f"Token claim {TENANT_ROLES_CLAIM!r} must map tenant slugs to lists of roles")
    grants: dict[str, frozenset[Role]] = {}
    for tenant, roles in granted.items():
        if not isinstance(roles, list) or not roles or not all(isinstance(r, str) for r in roles):
            raise AuthError(f"Token claim {TENANT_ROLES_CLAIM!r}: tenant {tenant!r} needs a list of roles")
        try:
            grants[tenant] = frozenset(Role(r) for r in roles)
        except ValueError as error:
            raise AuthError(
                f"Token claim {TENANT_ROLES_CLAIM!r}: tenant {tenant!r} holds an unknown role: {error}"
            ) from error
    return Principal.of(str(claims["sub"]), grants)


def verifier_from_settings(settings: Settings) -> TokenVerifier:
    """Build the verifier a service's bootstrap puts on ``app.state.token_verifier``."""
    common: dict[str, Any] = {
        "issuer": settings.jwt_issuer,
        "audience": settings.jwt_audience,
        "max_lifetime_seconds": settings.jwt_max_lifetime_seconds,
    }
    if settings.jwt_jwks_url:
        return TokenVerifier(
            jwks_url=settings.jwt_jwks_url,
            allow_loopback_http=settings.jwt_jwks_allow_loopback_http,
            jwks_refresh_seconds=settings.jwt_jwks_refresh_seconds,
            **common,
        )
    if settings.jwt_public_key_file is None:
        raise ValueError("Set KLACHTSPOOR_JWT_PUBLIC_KEY_FILE or KLACHTSPOOR_JWT_JWKS_URL")
    with open(settings.jwt_public_key_file, encoding="ascii") as key:
        return TokenVerifier(public_key_pem=key.read(), **common)
