"""The dossier pages' session: after the receipt code and the secret opened the dossier once, a cookie keeps
it open for a while (docs/public.md).

``klachtspoor_dossier``: HttpOnly, SameSite=Strict, only for ``/dossier/{tenant}``, ``Secure`` over https,
as long as ``KLACHTSPOOR_DOSSIER_SESSION_MINUTES``. It holds the case id, the case version of the secret
that opened it and the expiry, signed with HMAC-SHA256 under a key derived from the master key
(:data:`SESSION_PURPOSE`): no personal data and no secret. A newer secret ends every older session (the
dossier resumes only while the secret that opened it is the newest).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from uuid import UUID

from fastapi import Request, Response

from services.escalation.entrypoints.dossier_access import PublicDossier, public_dossier

SESSION_PURPOSE = "escalation/dossier-session"
SESSION_COOKIE = "klachtspoor_dossier"


def _root(tenant: str) -> str:
    return f"/dossier/{tenant}"


def _mac(key: bytes, tenant: str, case_id: UUID, version: int, expires: int) -> str:
    message = f"{tenant}\n{case_id}\n{version}\n{expires}".encode()
    return base64.urlsafe_b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode().rstrip("=")


def _value(state: PublicDossier, tenant: str, case_id: UUID, version: int) -> str:
    expires = int(time.time()) + state.session_seconds
    return f"{case_id}.{version}.{expires}.{_mac(state.session_key, tenant, case_id, version, expires)}"


def session(request: Request, tenant: str) -> tuple[UUID, int] | None:
    """The case and secret version of a valid, unexpired session cookie for this tenant."""
    value = request.cookies.get(SESSION_COOKIE, "")
    parts = value.split(".")
    if len(parts) != 4:
        return None
    try:
        case_id, version, expires = UUID(parts[0]), int(parts[1]), int(parts[2])
    except ValueError:
        return None
    expected = _mac(public_dossier(request).session_key, tenant, case_id, version, expires)
    if not hmac.compare_digest(expected, parts[3]) or expires < time.time():
        return None
    return case_id, version


def start_session(request: Request, response: Response, tenant: str, case_id: UUID, version: int) -> None:
    state = public_dossier(request)
    response.set_cookie(
        SESSION_COOKIE,
        _value(state, tenant, case_id, version),
        max_age=state.session_seconds,
        path=_root(tenant),
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )


def end_session(request: Request, response: Response, tenant: str) -> None:
    response.delete_cookie(
        SESSION_COOKIE,
        path=_root(tenant),
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
