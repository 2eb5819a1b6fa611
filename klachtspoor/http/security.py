"""FastAPI dependencies for bearer tokens: 401 without a valid token, 404 for another tenant (so a
tenant's existence is not revealed), 403 for a role that may not do this in the path's tenant."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from contracts.vocabulary import Role
from klachtspoor.auth import AuthError, Principal, TokenVerifier
from klachtspoor.http.problems import Problem

_bearer = HTTPBearer(auto_error=False)


def verifier_of(request: Request) -> TokenVerifier:
    verifier = getattr(request.app.state, "token_verifier", None)
    if not isinstance(verifier, TokenVerifier):
        raise RuntimeError("app.state.token_verifier is not set: the service bootstrap must set it")
    return verifier


async def authenticated(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Problem(401, "Authentication required", "Send a bearer token in the Authorization header")
    try:
        return await verifier_of(request).verify(credentials.credentials)
    except AuthError as error:
        raise Problem(401, "Invalid token", str(error)) from error


CurrentPrincipal = Annotated[Principal, Depends(authenticated)]


def authorize(principal: Principal, tenant: str, allowed: frozenset[Role]) -> None:
    """Tenant first: a principal of another tenant learns nothing, not even that the role is wrong.
    Then the roles the token holds *in this tenant*: a role held in another tenant counts for nothing."""
    if not principal.may_act_for(tenant):
        raise Problem(404, "Not found", f"No tenant {tenant!r} for this token")
    if not principal.has_any_role_in(tenant, allowed):
        wanted = ", ".join(sorted(r.value for r in allowed))
        raise Problem(403, "Forbidden", f"This needs one of the roles: {wanted}")
