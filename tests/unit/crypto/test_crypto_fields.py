"""Encrypting marked paths of a JSON document and decrypting or masking it again, with local models."""

from __future__ import annotations

import json
from typing import Any

import pytest

from klachtspoor.crypto import CaseKey, MasterKey
from klachtspoor.crypto.aead import JsonPath, is_ciphertext
from klachtspoor.crypto.fields import (
    PathTrie,
    ReservedPrefix,
    encrypt_fields,
    first_key_id,
    pattern_of,
    replace_ciphertexts,
)
from klachtspoor.eventstore.jsondoc import JsonObject

PATHS = (("complainant", "name"), ("complainant", "email"), ("messages", "*", "text"), ("notes", "*"))
DATA: dict[str, Any] = {
    "category": "communicatie",
    "complainant": {"name": "Jan de Vries", "email": None, "role": "client"},
    "messages": [
        {"text": "Eerste bericht", "at": "2026-03-02"},
        {"text": "Tweede bericht", "at": "2026-03-03"},
    ],
    "notes": ["Belde om 10:00", "Moeder aanwezig"],
    "count": 3,
}
PLAINTEXTS = ["Jan de Vries", "Eerste bericht", "Tweede bericht", "Belde om 10:00", "Moeder aanwezig"]


@pytest.fixture
def key(master: MasterKey) -> CaseKey:
    tenant_key, _ = master.new_tenant_key("jeugdzorg-noord")
    return tenant_key.new_case_key("case-1")[0]


def test_marked_nested_and_list_paths_are_encrypted_and_nothing_else(key: CaseKey) -> None:
    encrypted = encrypt_fields(DATA, PathTrie.build(PATHS), key.encrypt)
    dumped = json.dumps(encrypted)
    assert not any(text in dumped for text in PLAINTEXTS)
    assert is_ciphertext(encrypted["complainant"]["name"])
    assert encrypted["complainant"]["email"] is None  # null carries nothing: left as it is
    assert all(is_ciphertext(m["text"]) for m in encrypted["messages"])
    assert all(is_ciphertext(n) for n in encrypted["notes"])
    assert encrypted["category"] == "communicatie" and encrypted["count"] == 3
    assert [m["at"] for m in encrypted["messages"]] == ["2026-03-02", "2026-03-03"]
    assert encrypted["complainant"]["role"] == "client"
    assert DATA["complainant"]["name"] == "Jan de Vries"  # the input is not changed


def test_masking_reads_a_stored_json_object_and_copies_what_it_changes(key: CaseKey) -> None:
    encrypted = encrypt_fields(DATA, PathTrie.build(PATHS), key.encrypt)
    stored = JsonObject(json.dumps(encrypted))
    masked = replace_ciphertexts(stored, lambda path, token: "***")
    assert masked == replace_ciphertexts(encrypted, lambda path, token: "***")
    assert masked["complainant"]["name"] == "***" and masked["notes"] == ["***", "***"]
    assert type(masked) is dict and stored == encrypted  # the stored document is left as it was


def test_decrypting_restores_the_document(key: CaseKey) -> None:
    encrypted = encrypt_fields(DATA, PathTrie.build(PATHS), key.encrypt)
    assert first_key_id(encrypted) == key.key_id
    assert replace_ciphertexts(encrypted, key.decrypt) == DATA


def test_masking_replaces_only_ciphertexts(key: CaseKey) -> None:
    encrypted = encrypt_fields(DATA, PathTrie.build(PATHS), key.encrypt)
    seen: list[JsonPath] = []

    def mask(path: JsonPath, token: str) -> str:
        seen.append(path)
        return f"[{'.'.join(pattern_of(path))}]"

    masked = replace_ciphertexts(encrypted, mask)
    assert masked["complainant"] == {"name": "[complainant.name]", "email": None, "role": "client"}
    assert masked["notes"] == ["[notes.*]", "[notes.*]"]
    assert seen == [
        ("complainant", "name"),
        ("messages", 0, "text"),
        ("messages", 1, "text"),
        ("notes", 0),
        ("notes", 1),
    ]


def test_unmarked_value_with_the_reserved_prefix_is_refused(key: CaseKey) -> None:
    data = {**DATA, "category": "enc:v1:0123456789abcdef:" + "A" * 40}
    with pytest.raises(ReservedPrefix, match="category"):
        encrypt_fields(data, PathTrie.build(PATHS), key.encrypt)
    nested = {**DATA, "messages": [{"text": "x", "at": "enc:whatever"}]}
    with pytest.raises(ReservedPrefix, match=r"messages\.0\.at"):
        encrypt_fields(nested, PathTrie.build(PATHS), key.encrypt)


def test_marked_value_with_the_prefix_is_simply_encrypted(key: CaseKey) -> None:
    data = {**DATA, "notes": ["enc: geen geheim"]}
    encrypted = encrypt_fields(data, PathTrie.build(PATHS), key.encrypt)
    assert replace_ciphertexts(encrypted, key.decrypt)["notes"] == ["enc: geen geheim"]


def test_document_without_marked_values_has_no_key_id(key: CaseKey) -> None:
    plain = {"category": "communicatie", "messages": []}
    assert encrypt_fields(plain, PathTrie.build(PATHS), key.encrypt) == plain
    assert first_key_id(plain) is None
    assert PathTrie.build(()).empty and not PathTrie.build(PATHS).empty
