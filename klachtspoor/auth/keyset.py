"""The identity provider's signing keys, fetched from its JWKS URL and fetched again every few minutes.

Why not PyJWT's ``PyJWKClient(cache_keys=True)`` alone: it keeps every key it ever found by ``kid`` for
the life of the process, so a key the identity provider withdrew (because it leaked) would keep signing
valid tokens here until a restart. This set is replaced whole on every fetch: a withdrawn key is gone at
the next one, at most ``refresh_seconds`` later.

When a fetch fails (the identity provider is away) the last key set stays in use and the failure is
logged (and tried again ``cooldown_seconds`` later, not on every request), so an outage of the
provider does not turn into an outage of every service; a token with a
``kid`` the set does not hold makes one fetch at once (a new key), but not more often than every
``cooldown_seconds``, so tokens with made-up ``kid`` values cannot make us hammer the provider.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import jwt

log = logging.getLogger(__name__)

DEFAULT_REFRESH_SECONDS = 300.0
DEFAULT_COOLDOWN_SECONDS = 30.0


class UnknownSigningKey(Exception):
    """No key of the identity provider's current set has the token's ``kid`` (or it has none)."""


@dataclass(frozen=True, slots=True)
class _Fetched:
    keys: Mapping[str, Any]
    at: float


class JwksKeySet:
    """``key_for(token)``: the public key that must have signed ``token``. Blocking (it may fetch):
    callers on an event loop run it in a thread, one at a time per set (a lock)."""

    def __init__(
        self,
        url: str,
        *,
        refresh_seconds: float = DEFAULT_REFRESH_SECONDS,
        cooldown_seconds: float = DEFAULT_COOLDOWN_SECONDS,
        timeout: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if refresh_seconds <= 0 or cooldown_seconds < 0:
            raise ValueError(
                f"JWKS key set: refresh_seconds must be > 0 and cooldown_seconds >= 0, got "
                f"{refresh_seconds} and {cooldown_seconds}"
            )
        self._client = jwt.PyJWKClient(url, cache_jwk_set=False, timeout=timeout)
        self._url, self._refresh, self._cooldown, self._clock = url, refresh_seconds, cooldown_seconds, clock
        self._fetched: _Fetched | None = None
        self._last_attempt: float | None = None
        self._lock = threading.Lock()

    @property
    def refresh_seconds(self) -> float:
        return self._refresh

    def key_for(self, token: str) -> Any:
        """Raises :class:`UnknownSigningKey`, or PyJWT's errors for a token whose header cannot be read
        and for a first fetch that fails (there is no earlier set to fall back on)."""
        kid = jwt.get_unverified_header(token).get("kid")
        if not isinstance(kid, str) or not kid:
            raise UnknownSigningKey("the token names no key ('kid')")
        with self._lock:
            now = self._clock()
            fetched = self._fetched
            if fetched is None or self._due(fetched, now):
                fetched = self._fetch(now, keep_on_failure=fetched)
            if kid not in fetched.keys and self._may_fetch_early(now):
                fetched = self._fetch(now, keep_on_failure=fetched)
            key = fetched.keys.get(kid)
        if key is None:
            raise UnknownSigningKey(f"no key {kid!r} in the identity provider's key set ({self._url})")
        return key

    def _may_fetch_early(self, now: float) -> bool:
        return self._last_attempt is None or now - self._last_attempt >= self._cooldown

    def _due(self, fetched: _Fetched, now: float) -> bool:
        """The set is ``refresh_seconds`` old (and, after a failed fetch, the cooldown is over)."""
        if now - fetched.at < self._refresh:
            return False
        return self._last_attempt is None or self._last_attempt <= fetched.at or self._may_fetch_early(now)

    def _fetch(self, now: float, *, keep_on_failure: _Fetched | None) -> _Fetched:
        self._last_attempt = now
        try:
            keys = self._signing_keys(self._client.fetch_data())
        except (jwt.PyJWKClientError, jwt.PyJWKSetError) as error:
            if keep_on_failure is None:
                raise
            log.warning(
                "Fetching the identity provider's key set failed; the last one (%d keys) stays in use: %s",
                len(keep_on_failure.keys),
                error,
                extra={"ks_jwks_url": self._url},
            )
            return keep_on_failure
        fetched = _Fetched(MappingProxyType(keys), now)
        self._fetched = fetched
        return fetched

    @staticmethod
    def _signing_keys(data: Any) -> dict[str, Any]:
        """The signing keys by kid; an empty ``keys`` list is a set without keys (every key withdrawn),
        anything else unusable is a failed fetch."""
        listed = data.get("keys") if isinstance(data, dict) else None
        if not isinstance(listed, list):
            raise jwt.PyJWKClientError("The JWKS endpoint's answer has no 'keys' list")
        if not listed:
            return {}
        return {
            key.key_id: key.key
            for key in jwt.PyJWKSet(listed).keys
            if key.key_id and key.public_key_use in ("sig", None)
        }
