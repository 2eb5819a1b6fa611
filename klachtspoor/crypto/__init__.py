"""Personal data at the storage boundary: envelope encryption per case and crypto-shredding.

Master key (setting ``master_key``) → one key per tenant → one data key per case → personal field values.
Erasing a case deletes its key; its personal fields then read as their masks. See ``docs/privacy.md``.
"""

from klachtspoor.crypto.aead import CaseKey, MasterKey
from klachtspoor.crypto.errors import (
    CaseErased,
    CaseKeyMissing,
    CryptoError,
    DecryptionFailed,
    InvalidMasterKey,
    KeyStoreError,
    KeyStoreUnavailable,
    MalformedCiphertext,
    MasterKeyMismatch,
    UnwrapFailed,
)
from klachtspoor.crypto.fields import ReservedPrefix
from klachtspoor.crypto.keyring import Keyring
from klachtspoor.crypto.keystore import Erasure, KeyStore, WrappedKey

__all__ = [
    "CaseErased",
    "CaseKey",
    "CaseKeyMissing",
    "CryptoError",
    "DecryptionFailed",
    "Erasure",
    "InvalidMasterKey",
    "KeyStore",
    "KeyStoreError",
    "KeyStoreUnavailable",
    "Keyring",
    "MalformedCiphertext",
    "MasterKey",
    "MasterKeyMismatch",
    "ReservedPrefix",
    "UnwrapFailed",
    "WrappedKey",
]
