"""The plumbing of a server-rendered page: its headers, its form, where it came from.

Every page is complete HTML that needs no script: the Content-Security-Policy allows none at all, and
only the stylesheet the service serves itself, so a page can load nothing from anywhere else. Pages show
case data, so no cache keeps them (``no-store``).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from urllib.parse import parse_qs, urlsplit

from fastapi import Request

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
HEADERS: Mapping[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # no-referrer would make the browser send Origin: null on a POST
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}
FORM = "application/x-www-form-urlencoded"
CSRF_SECONDS = 30 * 60
"""How long a form's CSRF value lives: time enough to fill in a form with care."""


class FormError(ValueError):
    """The body is not a urlencoded form (the pages send nothing else)."""


async def read_form(request: Request) -> dict[str, str]:
    """The fields of a urlencoded form, each once (a field sent twice is dropped); the app's body limit
    bounds its size. The values are never logged."""
    if request.headers.get("content-type", "").split(";")[0].strip() != FORM:
        raise FormError("not a urlencoded form")
    fields = parse_qs((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
    return {name: found[0] for name, found in fields.items() if len(found) == 1}


def _origin_of(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def same_origin(request: Request) -> bool:
    """The request comes from a page of this origin: ``Origin`` (every browser sends it on a POST), or
    ``Referer`` when a privacy setting dropped it. Neither: refused, never assumed."""
    own = f"{request.url.scheme}://{request.url.netloc}"
    origin = request.headers.get("origin")
    if origin is not None:
        return origin == own
    referer = request.headers.get("referer")
    return referer is not None and _origin_of(referer) == own


def new_csrf() -> str:
    """A fresh value for the double submit: in a cookie and in the form, the two must match."""
    return secrets.token_urlsafe(32)


def csrf_matches(cookie: str | None, field: str | None) -> bool:
    return bool(cookie) and bool(field) and hmac.compare_digest(str(cookie), str(field))
