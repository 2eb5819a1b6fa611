"""Errors of the crypto layer and of the key store port.

Messages name the tenant, case, field path and key ids involved, never a key or a plaintext value.
"""

from __future__ import annotations

from datetime import datetime


class CryptoError(Exception):
    """Base of every error the crypto layer raises."""


class InvalidMasterKey(CryptoError):
    """The configured master key is not base64 for exactly 32 bytes."""


class MasterKeyMismatch(CryptoError):
    """A tenant key was wrapped by another master key than the one configured."""

    def __init__(self, tenant: str, stored_master_key_id: str, configured_master_key_id: str) -> None:
        self.tenant = tenant
        self.stored_master_key_id = stored_master_key_id
        self.configured_master_key_id = configured_master_key_id
        super().__init__(
            f"Tenant key of {tenant!r} is wrapped by master key {stored_master_key_id}, "
            f"but the configured master key is {configured_master_key_id}"
        )


class MasterKeyCheckFailed(CryptoError):
    """At start: a stored tenant key is wrapped by a master key that is not configured, or does not
    unwrap under the configured key of its id. Raised before the process serves anything."""

    def __init__(self, problems: tuple[str, ...], configured_master_key_ids: tuple[str, ...]) -> None:
        self.problems, self.configured_master_key_ids = problems, configured_master_key_ids
        configured = ", ".join(configured_master_key_ids) or "none"
        super().__init__(
            "The configured master keys do not open the stored tenant keys: "
            + "; ".join(problems)
            + f" (configured master key ids: {configured}; KLACHTSPOOR_MASTER_KEY and "
            "KLACHTSPOOR_MASTER_KEYS_PREVIOUS, or their _FILE settings)"
        )


class TenantKeyVersionMissing(CryptoError):
    """A case key names a tenant key version that is not stored: it was lost, or retired too early."""

    def __init__(self, tenant: str, case_id: str, tenant_key_id: str) -> None:
        self.tenant, self.case_id, self.tenant_key_id = tenant, case_id, tenant_key_id
        super().__init__(
            f"Key of case {case_id} (tenant {tenant!r}) is wrapped by tenant key {tenant_key_id}, "
            "which is not stored"
        )


class CaseErased(CryptoError):
    """The case was erased (its key shredded): nothing personal can be written for it any more."""

    def __init__(self, tenant: str, case_id: str, erased_at: datetime | None = None) -> None:
        self.tenant, self.case_id, self.erased_at = tenant, case_id, erased_at
        when = f" at {erased_at.isoformat()}" if erased_at is not None else ""
        super().__init__(f"Case {case_id} of tenant {tenant!r} was erased{when}; its key no longer exists")


class DecryptionFailed(CryptoError):
    """Authentication failed: the ciphertext was altered, or moved to another tenant, case or field."""

    def __init__(self, tenant: str, case_id: str, path: str, key_id: str) -> None:
        self.tenant, self.case_id, self.path, self.key_id = tenant, case_id, path, key_id
        super().__init__(
            f"Ciphertext at {path} does not authenticate under key {key_id} "
            f"(Tenant: {tenant}, Case: {case_id}); it was altered or moved from another case or field"
        )


class MalformedCiphertext(CryptoError):
    """A value carries the ciphertext prefix but is not a well-formed ciphertext."""

    def __init__(self, path: str, reason: str) -> None:
        self.path, self.reason = path, reason
        super().__init__(f"Malformed ciphertext at {path}: {reason}")


class UnwrapFailed(CryptoError):
    """A stored wrapped key does not authenticate under its wrapping key (altered or swapped row)."""

    def __init__(self, what: str, key_id: str) -> None:
        self.what, self.key_id = what, key_id
        super().__init__(
            f"Wrapped {what} key {key_id} does not authenticate; the key row was altered or moved"
        )


class CaseKeyMissing(CryptoError):
    """Ciphertexts exist for a case that has neither a key nor an erasure record: keys were lost."""

    def __init__(self, tenant: str, case_id: str, key_id: str) -> None:
        self.tenant, self.case_id, self.key_id = tenant, case_id, key_id
        super().__init__(
            f"No key {key_id} for case {case_id} of tenant {tenant!r}, and the case was never erased"
        )


class KeyStoreError(CryptoError):
    """Base of the errors the key store port raises; adapters translate driver errors into these."""


class KeyStoreUnavailable(KeyStoreError):
    """The key store could not be reached or the connection dropped; the operation may be retried."""


class StaleTenantKey(KeyStoreError):
    """A case key was to be wrapped by a tenant key version that is no longer stored (it was retired after
    a rotation while a process still held it); the writer takes the tenant's current key and tries again."""

    def __init__(self, tenant: str, tenant_key_id: str) -> None:
        self.tenant, self.tenant_key_id = tenant, tenant_key_id
        super().__init__(f"Tenant key {tenant_key_id} of {tenant!r} is no longer stored (retired)")
