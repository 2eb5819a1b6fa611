"""A command that needs the database says how to set it and exits 2 (a usage error) when it is not set."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import typer

from klachtspoor.cli.database import NOT_SET, database_url
from klachtspoor.settings import get_settings


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_without_a_database_url_a_command_is_a_usage_error_naming_the_setting(
    fresh_settings: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("KLACHTSPOOR_DATABASE_URL", raising=False)
    with pytest.raises(typer.Exit) as exited:
        database_url()
    assert exited.value.exit_code == 2
    assert NOT_SET in capsys.readouterr().err


def test_with_a_database_url_it_is_what_the_command_gets(
    fresh_settings: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KLACHTSPOOR_DATABASE_URL", "postgresql://app@db.example:5432/klachtspoor")
    assert database_url() == "postgresql://app@db.example:5432/klachtspoor"
