"""Bearer JWT (RS256) authentication and tenant/role authorisation shared by every HTTP service."""

from klachtspoor.auth.tokens import AuthError, Principal, TokenVerifier

__all__ = ["AuthError", "Principal", "TokenVerifier"]
