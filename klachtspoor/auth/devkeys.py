"""The dev stack's key pair and token minting (``klachtspoor dev token``).

Production verifies tokens of the network's identity provider; the dev stack plays that provider
with a key pair kept under ``.dev/jwt/``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from klachtspoor.auth.tokens import TENANT_ROLES_CLAIM

DEV_ISSUER = "klachtspoor-dev"
AUDIENCE = "klachtspoor"


def ensure_dev_keys(directory: Path) -> tuple[Path, Path]:
    """Create the key pair once; return (private key path, public key path)."""
    private_path, public_path = directory / "private.pem", directory / "public.pem"
    if private_path.exists() and public_path.exists():
        return private_path, public_path
    directory.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    private_path.write_bytes(private_pem)
    private_path.chmod(0o600)
    public_path.write_bytes(public_pem)
    return private_path, public_path


def mint_token(
    private_key_pem: str,
    *,
    subject: str,
    tenant_roles: Mapping[str, Iterable[str]],
    ttl_seconds: int = 8 * 3600,
    issuer: str = DEV_ISSUER,
    audience: str = AUDIENCE,
    kid: str | None = None,
) -> str:
    """A token holding, in each tenant of ``tenant_roles``, that tenant's roles (docs/security.md);
    ``kid`` names the signing key in the header, as an identity provider with a JWKS does."""
    now = int(time.time())
    claims = {
        "sub": subject,
        TENANT_ROLES_CLAIM: {tenant: sorted(roles) for tenant, roles in sorted(tenant_roles.items())},
        "iat": now,
        "exp": now + ttl_seconds,
        "iss": issuer,
        "aud": audience,
    }
    headers = None if kid is None else {"kid": kid}
    return jwt.encode(claims, private_key_pem, algorithm="RS256", headers=headers)


def same_roles(tenants: Iterable[str], roles: Iterable[str]) -> dict[str, list[str]]:
    """``tenant_roles`` giving each of ``tenants`` the same ``roles`` (a shorthand for tests and tools)."""
    wanted = sorted(roles)
    return {tenant: wanted for tenant in tenants}
