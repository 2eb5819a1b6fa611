"""Settings refuse at start what would be unsafe later: a JWKS URL anyone on the path could answer, and
a master key given twice or in a file that cannot be read."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from klachtspoor.auth import TokenVerifier
from klachtspoor.auth.jwks import InsecureJwksUrl
from klachtspoor.crypto.aead import MasterKey
from klachtspoor.settings import Settings

KEY = base64.b64encode(bytes(range(32))).decode()


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("KLACHTSPOOR_MASTER_KEY", "KLACHTSPOOR_JWT_")):
            monkeypatch.delenv(name)


@pytest.mark.parametrize(
    "url",
    ["http://idp.example/jwks.json", "http://10.0.0.5/jwks", "ftp://idp.example/jwks", "https:///jwks"],
)
def test_a_jwks_url_that_is_not_https_is_refused_when_the_settings_are_read(url: str) -> None:
    with pytest.raises(ValidationError, match="KLACHTSPOOR_JWT_JWKS_URL"):
        Settings(jwt_jwks_url=url)
    with pytest.raises(InsecureJwksUrl):
        TokenVerifier(jwks_url=url, allow_loopback_http=True)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/jwks", "http://localhost/jwks", "http://[::1]/jwks"])
def test_loopback_http_only_when_development_says_so(url: str) -> None:
    with pytest.raises(ValidationError, match="KLACHTSPOOR_JWT_JWKS_ALLOW_LOOPBACK_HTTP"):
        Settings(jwt_jwks_url=url)
    assert Settings(jwt_jwks_url=url, jwt_jwks_allow_loopback_http=True).jwt_jwks_url == url
    assert Settings(jwt_jwks_url="https://idp.example/jwks").jwt_jwks_url == "https://idp.example/jwks"


def test_the_environment_is_checked_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KLACHTSPOOR_JWT_JWKS_URL", "http://idp.example/jwks")
    with pytest.raises(ValidationError, match="https"):
        Settings()


def test_the_master_key_from_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "master_key"
    secret.write_text(KEY + "\n")
    monkeypatch.setenv("KLACHTSPOOR_MASTER_KEY_FILE", str(secret))
    settings = Settings()
    assert settings.master_key == ""
    assert settings.master_key_value() == KEY
    assert MasterKey.from_base64(settings.master_key_value()).key_id == MasterKey.from_base64(KEY).key_id


def test_the_master_key_from_the_variable() -> None:
    assert Settings(master_key=KEY).master_key_value() == KEY


def test_both_master_key_sources_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "master_key"
    secret.write_text(KEY)
    monkeypatch.setenv("KLACHTSPOOR_MASTER_KEY", KEY)
    monkeypatch.setenv("KLACHTSPOOR_MASTER_KEY_FILE", str(secret))
    with pytest.raises(
        ValidationError, match="Set KLACHTSPOOR_MASTER_KEY or KLACHTSPOOR_MASTER_KEY_FILE, not both"
    ):
        Settings()


@pytest.mark.parametrize("content", [None, "", "  \n"])
def test_a_missing_or_empty_key_file_is_named_without_a_secret(tmp_path: Path, content: str | None) -> None:
    secret = tmp_path / "master_key"
    if content is not None:
        secret.write_text(content)
    with pytest.raises(ValidationError, match="KLACHTSPOOR_MASTER_KEY_FILE") as raised:
        Settings(master_key_file=secret)
    assert str(secret) in str(raised.value)


def test_previous_master_keys_from_the_variable_or_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    older = [MasterKey.generate_base64(), MasterKey.generate_base64()]
    given = Settings(master_key=KEY, master_keys_previous=f" {older[0]} ,{older[1]}")
    assert given.previous_master_key_values() == tuple(older)
    keys = given.master_keys()
    assert keys.current.key_id == MasterKey.from_base64(KEY).key_id
    assert keys.ids[1:] == tuple(MasterKey.from_base64(k).key_id for k in older)
    assert Settings(master_key=KEY).master_keys().previous == ()

    secret = tmp_path / "master_keys_previous"
    secret.write_text(f"{older[0]}\n{older[1]}\n")
    monkeypatch.setenv("KLACHTSPOOR_MASTER_KEY", KEY)
    monkeypatch.setenv("KLACHTSPOOR_MASTER_KEYS_PREVIOUS_FILE", str(secret))
    from_file = Settings()
    assert from_file.master_keys_previous == "" and from_file.previous_master_key_values() == tuple(older)


def test_previous_master_keys_given_twice_or_in_an_empty_file_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "master_keys_previous"
    secret.write_text(KEY)
    monkeypatch.setenv("KLACHTSPOOR_MASTER_KEYS_PREVIOUS", KEY)
    monkeypatch.setenv("KLACHTSPOOR_MASTER_KEYS_PREVIOUS_FILE", str(secret))
    with pytest.raises(ValidationError, match=r"Set KLACHTSPOOR_MASTER_KEYS_PREVIOUS or \S+_FILE, not both"):
        Settings()
    monkeypatch.delenv("KLACHTSPOOR_MASTER_KEYS_PREVIOUS")
    secret.write_text("\n")
    with pytest.raises(ValidationError, match="KLACHTSPOOR_MASTER_KEYS_PREVIOUS_FILE") as raised:
        Settings()
    assert "empty" in str(raised.value)
