"""Token verification: RS256 only, with a public key (PEM) or the identity provider's JWKS URL.

Claims: ``sub`` (opaque subject id), ``tenants`` (list of tenant slugs), ``roles`` (list of roles),
``exp``, ``iss`` and ``aud``. The claims give the tenant(s) and roles; nothing else is trusted.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import jwt

from contracts.vocabulary import Role


class AuthError(Exception):
    """The token is missing, malformed, expired, wrongly signed or lacks required claims (HTTP 401)."""


@dataclass(frozen=True, slots=True)
class Principal:
    subject: str
    tenants: frozenset[str]
    roles: frozenset[Role]

    def may_act_for(self, tenant: str) -> bool:
        return tenant in self.tenants

    def has_any_role(self, roles: frozenset[Role]) -> bool:
        return bool(self.roles & roles)


class TokenVerifier:
    def __init__(
        self,
        *,
        public_key_pem: str | None = None,
        jwks_url: str | None = None,
        issuer: str = "klachtspoor-dev",
        audience: str = "klachtspoor",
    ) -> None:
        if not public_key_pem and not jwks_url:
            raise ValueError("A token verifier needs a public key or a JWKS URL")
        self._public_key = public_key_pem
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True) if jwks_url else None
        self._issuer, self._audience = issuer, audience

    async def verify(self, token: str) -> Principal:
        key: Any = self._public_key
        if self._jwks is not None:
            try:
                key = (await asyncio.to_thread(self._jwks.get_signing_key_from_jwt, token)).key
            except jwt.PyJWKClientError as error:
                raise AuthError(f"No signing key for this token: {error}") from error
        return self._decode(token, key)

    def _decode(self, token: str, key: Any) -> Principal:
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=self._audience,
                issuer=self._issuer,
                options={"require": ["exp", "sub", "iss", "aud"]},
            )
        except jwt.PyJWTError as error:
            raise AuthError(f"Invalid token: {error}") from error
        return _principal(claims)


def _principal(claims: dict[str, Any]) -> Principal:
    tenants, roles = claims.get("tenants"), claims.get("roles")
    if not isinstance(tenants, list) or not all(isinstance(t, str) for t in tenants):
        raise AuthError("Token claim 'tenants' must be a list of tenant slugs")
    if not isinstance(roles, list):
        raise AuthError("Token claim 'roles' must be a list of roles")
    try:
        parsed = frozenset(Role(r) for r in roles)
    except ValueError as error:
        raise AuthError(f"Token claim 'roles' holds an unknown role: {error}") from error
    return Principal(subject=str(claims["sub"]), tenants=frozenset(tenants), roles=parsed)


def verifier_from_settings(
    public_key_file: str | None, jwks_url: str, issuer: str, audience: str
) -> TokenVerifier:
    """Build the verifier a service's bootstrap puts on ``app.state.token_verifier``."""
    if jwks_url:
        return TokenVerifier(jwks_url=jwks_url, issuer=issuer, audience=audience)
    if not public_key_file:
        raise ValueError("Set KLACHTSPOOR_JWT_PUBLIC_KEY_FILE or KLACHTSPOOR_JWT_JWKS_URL")
    with open(public_key_file, encoding="ascii") as key:
        return TokenVerifier(public_key_pem=key.read(), issuer=issuer, audience=audience)
