"""The token verifier of the staff API, from the settings; without a key every token is refused.

The bus worker must run where no identity provider is configured (tests, a consumer-only deployment), so a
missing key does not stop the service: the staff API then answers 401 naming the missing setting, and the
start logs a warning.
"""

from __future__ import annotations

import logging

from klachtspoor.auth import AuthError, Principal, TokenVerifier
from klachtspoor.auth.tokens import verifier_from_settings
from klachtspoor.settings import Settings

log = logging.getLogger(__name__)

MISSING = "no token key is configured (KLACHTSPOOR_JWT_PUBLIC_KEY_FILE or KLACHTSPOOR_JWT_JWKS_URL)"


class RefuseEveryToken(TokenVerifier):
    """A verifier without a key: every token is invalid, with the reason."""

    def __init__(self) -> None:  # no key to load: deliberately not TokenVerifier.__init__
        pass

    async def verify(self, token: str) -> Principal:
        raise AuthError(f"This service cannot verify tokens: {MISSING}")


def staff_verifier(settings: Settings) -> TokenVerifier:
    if settings.jwt_public_key_file is None and not settings.jwt_jwks_url:
        log.warning("Staff commands refuse every token: %s", MISSING)
        return RefuseEveryToken()
    return verifier_from_settings(settings)
