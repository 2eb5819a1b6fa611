"""Where a JWKS may be fetched from: https only, so nobody on the path can hand us signing keys.

A plain ``http://`` URL is accepted only for a loopback host and only when the operator says so
explicitly (setting ``KLACHTSPOOR_JWT_JWKS_ALLOW_LOOPBACK_HTTP``, for a local identity provider in
development); any other host over http is refused when the settings are read, before anything starts.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

LOOPBACK_NAMES = frozenset({"localhost"})


class InsecureJwksUrl(ValueError):
    """The JWKS URL is not https (and not an allowed loopback http URL)."""


def check_jwks_url(url: str, *, allow_loopback_http: bool = False) -> str:
    """``url`` when it may be used; otherwise :class:`InsecureJwksUrl` naming the setting."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname and is_loopback(parts.hostname):
        if allow_loopback_http:
            return url
        raise InsecureJwksUrl(
            "KLACHTSPOOR_JWT_JWKS_URL is http:// on a loopback host: allowed only in development, with "
            "KLACHTSPOOR_JWT_JWKS_ALLOW_LOOPBACK_HTTP=true"
        )
    raise InsecureJwksUrl(
        f"KLACHTSPOOR_JWT_JWKS_URL must be an https:// URL with a host (scheme {parts.scheme or 'none'!r}, "
        f"host {parts.hostname or 'none'!r})"
    )


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
