"""Field encryption: round trips, and every way of altering or moving a ciphertext fails loudly."""

from __future__ import annotations

import base64

import pytest

from klachtspoor.crypto import (
    DecryptionFailed,
    InvalidMasterKey,
    MalformedCiphertext,
    MasterKey,
    UnwrapFailed,
)
from klachtspoor.crypto.aead import PREFIX, CaseKey, TenantKey, is_ciphertext
from klachtspoor.crypto.keystore import WrappedKey


def _case_key(
    master: MasterKey, tenant: str = "jeugdzorg-noord", case_id: str = "case-1"
) -> tuple[TenantKey, CaseKey]:
    tenant_key, _ = master.new_tenant_key(tenant)
    case_key, _ = tenant_key.new_case_key(case_id)
    return tenant_key, case_key


@pytest.mark.parametrize("value", ["Jan de Vries", "", "ëèï — 日本", 42, None, ["a", "b"], {"k": "v"}])
def test_round_trip_of_any_json_value(master: MasterKey, value: object) -> None:
    _, key = _case_key(master)
    token = key.encrypt(("complainant", "name"), value)
    assert is_ciphertext(token) and token.startswith(f"{PREFIX}v1:{key.key_id}:")
    assert "Vries" not in token
    assert key.decrypt(("complainant", "name"), token) == value


def test_same_value_encrypts_differently_each_time(master: MasterKey) -> None:
    _, key = _case_key(master)
    assert key.encrypt(("name",), "Jan") != key.encrypt(("name",), "Jan")


def test_flipped_byte_fails_authentication(master: MasterKey) -> None:
    _, key = _case_key(master)
    token = key.encrypt(("name",), "Jan de Vries")
    head, _, payload = token.rpartition(":")
    blob = bytearray(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    blob[-1] ^= 0x01
    tampered = f"{head}:{base64.urlsafe_b64encode(bytes(blob)).rstrip(b'=').decode()}"
    with pytest.raises(DecryptionFailed) as caught:
        key.decrypt(("name",), tampered)
    assert caught.value.path == "name" and caught.value.case_id == "case-1"


def test_ciphertext_moved_to_another_field_fails(master: MasterKey) -> None:
    _, key = _case_key(master)
    token = key.encrypt(("complainant", "name"), "Jan de Vries")
    with pytest.raises(DecryptionFailed, match=r"complainant\.email"):
        key.decrypt(("complainant", "email"), token)


def test_ciphertext_moved_to_another_list_item_fails(master: MasterKey) -> None:
    _, key = _case_key(master)
    token = key.encrypt(("messages", 0, "text"), "first")
    with pytest.raises(DecryptionFailed):
        key.decrypt(("messages", 1, "text"), token)


def test_ciphertext_moved_to_another_case_fails(master: MasterKey) -> None:
    tenant_key, key = _case_key(master)
    other, _ = tenant_key.new_case_key("case-2")
    token = key.encrypt(("name",), "Jan de Vries")
    with pytest.raises(DecryptionFailed, match="case-2"):
        other.decrypt(("name",), token)
    # Even with the key id rewritten to the other case's key, authentication still fails.
    forged = token.replace(key.key_id, other.key_id)
    with pytest.raises(DecryptionFailed):
        other.decrypt(("name",), forged)


@pytest.mark.parametrize(
    "token", ["enc:v1:nothex:abc", "enc:v2:0123456789abcdef:" + "A" * 40, "enc:", "enc:v1:"]
)
def test_malformed_ciphertext_is_named(master: MasterKey, token: str) -> None:
    _, key = _case_key(master)
    with pytest.raises(MalformedCiphertext, match=r"notes\.0"):
        key.decrypt(("notes", 0), token)


@pytest.mark.parametrize("text", ["", "not base64!", base64.b64encode(b"short").decode()])
def test_invalid_master_key_is_refused_without_echoing_it(text: str) -> None:
    with pytest.raises(InvalidMasterKey) as caught:
        MasterKey.from_base64(text)
    assert not text or text not in str(caught.value)


def test_tenant_key_row_swapped_between_tenants_does_not_unwrap(master: MasterKey) -> None:
    _, wrapped = master.new_tenant_key("tenant-a")
    with pytest.raises(UnwrapFailed):
        master.unwrap_tenant_key("tenant-b", wrapped)
    assert master.unwrap_tenant_key("tenant-a", wrapped).key_id == wrapped.key_id


def test_case_key_row_swapped_between_cases_does_not_unwrap(master: MasterKey) -> None:
    tenant_key, _ = master.new_tenant_key("tenant-a")
    _, wrapped = tenant_key.new_case_key("case-1")
    with pytest.raises(UnwrapFailed, match="case-2"):
        tenant_key.unwrap_case_key("case-2", wrapped)
    with pytest.raises(UnwrapFailed):
        tenant_key.unwrap_case_key("case-1", WrappedKey("0" * 16, wrapped.parent_key_id, wrapped.wrapped))


def test_wrapped_key_repr_hides_key_material(master: MasterKey) -> None:
    _, wrapped = master.new_tenant_key("tenant-a")
    assert repr(wrapped.wrapped) not in repr(wrapped)
