"""AES-256-GCM envelope encryption: master key → tenant keys → case keys → personal field values.

Every encryption has associated data that binds it to its place: a tenant key to its tenant, a case key
to its tenant and case, a field value to tenant, case, key and field path. A ciphertext copied to another
case or field, or a key row swapped between tenants, fails authentication instead of decrypting.

A field ciphertext is a compact string, ``enc:v1:<case key id>:<base64url(nonce ‖ ciphertext ‖ tag)>``,
so it fits a ``str`` field and JSON. The prefix is reserved: only this module writes values that start
with it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import secrets
from collections.abc import Sequence
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from klachtspoor.crypto.errors import DecryptionFailed, InvalidMasterKey, MalformedCiphertext, UnwrapFailed
from klachtspoor.crypto.keystore import WrappedKey

PREFIX = "enc:"
"""Strings that start with this are ciphertexts (or malformed ones); plaintext may never start with it."""

_VERSION = "v1"
_TOKEN_RE = re.compile(r"enc:v1:([0-9a-f]{16}):([A-Za-z0-9_-]{38,})")
_NONCE_BYTES = 12
_KEY_BYTES = 32

JsonPath = tuple[str | int, ...]
"""A concrete place in a JSON document: object keys and list indices."""


def show_path(path: Sequence[str | int]) -> str:
    """``("messages", 2, "text")`` → ``messages.2.text``, for error messages and logs."""
    return ".".join(str(part) for part in path) or "<root>"


def new_key_id() -> str:
    return secrets.token_hex(8)


def _seal(aead: AESGCM, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(_NONCE_BYTES)
    return nonce + aead.encrypt(nonce, plaintext, aad)


def _open(aead: AESGCM, blob: bytes, aad: bytes) -> bytes:
    """Raises InvalidTag when the blob was altered or the associated data differs."""
    return aead.decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], aad)


def _aad(*parts: object) -> bytes:
    """Unambiguous associated data: a JSON array, so no choice of names can make two contexts collide."""
    return json.dumps(["klachtspoor", _VERSION, *parts], separators=(",", ":")).encode()


class MasterKey:
    """The root key (setting ``master_key``); it wraps tenant keys, and :meth:`derive` gives other keys."""

    def __init__(self, key: bytes) -> None:
        if len(key) != _KEY_BYTES:
            raise InvalidMasterKey(f"The master key must be 32 bytes, got {len(key)} bytes")
        self._aead = AESGCM(key)
        self._root = key
        # A fingerprint, not the key: lets a tenant key row say which master key wrapped it.
        self.key_id = hashlib.sha256(b"klachtspoor master key id\x00" + key).hexdigest()[:16]

    @classmethod
    def from_base64(cls, text: str) -> MasterKey:
        if not text:
            raise InvalidMasterKey(
                "No master key is configured (setting KLACHTSPOOR_MASTER_KEY or KLACHTSPOOR_MASTER_KEY_FILE)"
            )
        try:
            key = base64.b64decode(text.strip(), validate=True)
        except (binascii.Error, ValueError) as error:
            raise InvalidMasterKey(f"The master key is not valid base64 ({len(text)} characters)") from error
        return cls(key)

    @staticmethod
    def generate_base64() -> str:
        """A fresh master key, base64, for the dev stack and tests."""
        return base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()

    def derive(self, purpose: str) -> bytes:
        """A 32-byte key for one ``purpose`` (HKDF-SHA256): stable while the master key is, independent of
        the wrapping key and of every other purpose, and not computable from anything stored."""
        hkdf = HKDF(algorithm=SHA256(), length=_KEY_BYTES, salt=None, info=f"klachtspoor/{purpose}".encode())
        return hkdf.derive(self._root)

    def new_tenant_key(self, tenant: str) -> tuple[TenantKey, WrappedKey]:
        tenant_key = TenantKey(tenant, new_key_id(), AESGCM.generate_key(bit_length=256))
        return tenant_key, self.wrap_tenant_key(tenant_key)

    def wrap_tenant_key(self, tenant_key: TenantKey) -> WrappedKey:
        """The same tenant key (same id) wrapped under this master key: what a master key rotation stores."""
        aad = _aad("tenant-key", tenant_key.tenant, tenant_key.key_id)
        return WrappedKey(tenant_key.key_id, self.key_id, _seal(self._aead, tenant_key.raw, aad))

    def unwrap_tenant_key(self, tenant: str, wrapped: WrappedKey) -> TenantKey:
        try:
            key = _open(self._aead, wrapped.wrapped, _aad("tenant-key", tenant, wrapped.key_id))
        except InvalidTag as error:
            raise UnwrapFailed(f"tenant {tenant!r}", wrapped.key_id) from error
        return TenantKey(tenant, wrapped.key_id, key)


class TenantKey:
    """One per tenant; wraps the case keys of that tenant."""

    def __init__(self, tenant: str, key_id: str, key: bytes) -> None:
        self.tenant, self.key_id = tenant, key_id
        self._aead = AESGCM(key)
        self.raw = key
        """The key itself: only a master key reads it, to wrap it (again)."""

    def new_case_key(self, case_id: str) -> tuple[CaseKey, WrappedKey]:
        case_key = CaseKey(self.tenant, case_id, new_key_id(), AESGCM.generate_key(bit_length=256))
        return case_key, self.wrap_case_key(case_key)

    def wrap_case_key(self, case_key: CaseKey) -> WrappedKey:
        """The same case key (same id, so every ciphertext of the case still names it) wrapped under this
        tenant key: what a tenant key rotation stores."""
        aad = _aad("case-key", self.tenant, case_key.case_id, case_key.key_id)
        return WrappedKey(case_key.key_id, self.key_id, _seal(self._aead, case_key.raw, aad))

    def unwrap_case_key(self, case_id: str, wrapped: WrappedKey) -> CaseKey:
        try:
            key = _open(self._aead, wrapped.wrapped, _aad("case-key", self.tenant, case_id, wrapped.key_id))
        except InvalidTag as error:
            raise UnwrapFailed(f"case {case_id} (tenant {self.tenant!r})", wrapped.key_id) from error
        return CaseKey(self.tenant, case_id, wrapped.key_id, key)


class CaseKey:
    """The data key of one case: encrypts and decrypts that case's personal field values."""

    def __init__(self, tenant: str, case_id: str, key_id: str, key: bytes) -> None:
        self.tenant, self.case_id, self.key_id = tenant, case_id, key_id
        self._aead = AESGCM(key)
        self.raw = key
        """The key itself: only a tenant key reads it, to wrap it (again)."""

    def encrypt(self, path: JsonPath, value: Any) -> str:
        """Encrypt one JSON value (any JSON type) found at ``path`` of an event's data."""
        plaintext = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
        blob = _seal(self._aead, plaintext, self._field_aad(path))
        return f"{PREFIX}{_VERSION}:{self.key_id}:{base64.urlsafe_b64encode(blob).rstrip(b'=').decode()}"

    def decrypt(self, path: JsonPath, token: str) -> Any:
        key_id, blob = parse_token(path, token)
        if key_id != self.key_id:
            raise DecryptionFailed(self.tenant, self.case_id, show_path(path), key_id)
        try:
            plaintext = _open(self._aead, blob, self._field_aad(path))
        except InvalidTag as error:
            raise DecryptionFailed(self.tenant, self.case_id, show_path(path), key_id) from error
        return json.loads(plaintext)

    def _field_aad(self, path: JsonPath) -> bytes:
        return _aad("field", self.tenant, self.case_id, self.key_id, list(path))


def is_ciphertext(value: object) -> bool:
    """Whether a value claims to be a ciphertext (carries the reserved prefix)."""
    return isinstance(value, str) and value.startswith(PREFIX)


def parse_token(path: JsonPath, token: str) -> tuple[str, bytes]:
    """Split a ciphertext string into its key id and raw blob; raise MalformedCiphertext otherwise."""
    match = _TOKEN_RE.fullmatch(token)
    if match is None:
        raise MalformedCiphertext(show_path(path), f"expected {PREFIX}{_VERSION}:<key id>:<base64url>")
    encoded = match.group(2)
    try:
        blob = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (binascii.Error, ValueError) as error:
        raise MalformedCiphertext(show_path(path), "the payload is not base64url") from error
    return match.group(1), blob
