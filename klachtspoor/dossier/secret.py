"""The dossier's secret: made once, shown once, kept only as a slow hash.

The secret is 20 characters of Crockford's base32 (100 random bits) in groups of four, ``K7QM-2XPA-…``:
easy to write down and to type, no letters that look alike (I, L, O and U are not used; typing them is
forgiven: I and L read as 1, O as 0). Case, spaces and dashes do not matter.

The hash is scrypt (``hashlib.scrypt``, RFC 7914) with n = 2^15, r = 8, p = 1 and a random 16-byte salt,
a 32-byte key: 32 MiB of memory and about 0.25 s per check on our machines, so a stolen hash cannot be
searched quickly, while 100 random bits would hold even against a fast hash. The parameters travel with
the hash (``scrypt$15$8$1$<salt>$<key>``), so stronger ones can come later and old hashes still check.

A check against an unknown receipt code runs scrypt as well (:data:`DECOY_HASH`), so a wrong secret and
an unknown code take the same time and give the same answer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import cache

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base32: no I, L, O or U."""
GROUPS, GROUP_LENGTH = 5, 4
SECRET_LENGTH = GROUPS * GROUP_LENGTH
_FORGIVEN = str.maketrans({"I": "1", "L": "1", "O": "0"})


@dataclass(frozen=True, slots=True)
class ScryptParameters:
    """scrypt's cost: ``2**log2_n`` rounds of blocks of ``r``, ``p`` times in parallel."""

    log2_n: int = 15
    r: int = 8
    p: int = 1
    salt_bytes: int = 16
    key_bytes: int = 32

    @property
    def max_memory(self) -> int:
        """What hashlib must be allowed to use: 128 * n * r bytes, with room to spare."""
        return int(2 * 128 * (2**self.log2_n) * self.r)


DEFAULT = ScryptParameters()


class MalformedHash(ValueError):
    """A stored hash is not of the form this module writes (a bug or a damaged event, never user input)."""


def new_secret() -> str:
    """A fresh secret, grouped for reading: ``K7QM-2XPA-9D3F-WZ0B-TN5E``."""
    plain = "".join(secrets.choice(ALPHABET) for _ in range(SECRET_LENGTH))
    return "-".join(plain[i : i + GROUP_LENGTH] for i in range(0, SECRET_LENGTH, GROUP_LENGTH))


def normalised(typed: str) -> str | None:
    """The secret as typed, without case, spaces and dashes (I/L read as 1, O as 0); None when it cannot
    be a secret at all (wrong length or another character). Never logged."""
    plain = "".join(typed.split()).replace("-", "").upper().translate(_FORGIVEN)
    if len(plain) != SECRET_LENGTH or any(c not in ALPHABET for c in plain):
        return None
    return plain


def hash_secret(secret: str, parameters: ScryptParameters = DEFAULT, *, salt: bytes | None = None) -> str:
    """The stored form of ``secret`` (as :func:`new_secret` made it, or typed)."""
    plain = normalised(secret)
    if plain is None:
        raise ValueError("not a dossier secret")
    salt = salt if salt is not None else secrets.token_bytes(parameters.salt_bytes)
    key = _scrypt(plain, salt, parameters)
    return "$".join(
        ["scrypt", str(parameters.log2_n), str(parameters.r), str(parameters.p), _b64(salt), _b64(key)]
    )


def verify(typed: str, stored: str) -> bool:
    """Whether ``typed`` is the secret ``stored`` was made of; the full scrypt work is done even when the
    typed text cannot be a secret, so the answer's time says nothing."""
    parameters, salt, key = _parse(stored)
    plain = normalised(typed)
    candidate = _scrypt(plain if plain is not None else "-" * SECRET_LENGTH, salt, parameters)
    return plain is not None and hmac.compare_digest(candidate, key)


@cache
def decoy_hash() -> str:
    """A hash no typed secret matches in practice, to check against when the receipt code is unknown."""
    return hash_secret(new_secret())


def _parse(stored: str) -> tuple[ScryptParameters, bytes, bytes]:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        raise MalformedHash("a dossier secret hash is not scrypt$n$r$p$salt$key")
    try:
        log2_n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt, key = base64.b64decode(parts[4], validate=True), base64.b64decode(parts[5], validate=True)
    except ValueError as error:
        raise MalformedHash("a dossier secret hash has a malformed part") from error
    if not (10 <= log2_n <= 20 and 1 <= r <= 32 and 1 <= p <= 16 and salt and key):
        raise MalformedHash("a dossier secret hash has parameters out of range")
    return ScryptParameters(log2_n, r, p, len(salt), len(key)), salt, key


def _scrypt(plain: str, salt: bytes, parameters: ScryptParameters) -> bytes:
    return hashlib.scrypt(
        plain.encode("ascii"),
        salt=salt,
        n=2**parameters.log2_n,
        r=parameters.r,
        p=parameters.p,
        maxmem=parameters.max_memory,
        dklen=parameters.key_bytes,
    )


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
