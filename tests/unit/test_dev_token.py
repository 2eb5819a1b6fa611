"""`klachtspoor dev token` mints tokens that the services' verifier accepts."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from contracts.vocabulary import Role
from klachtspoor.auth import TokenVerifier
from klachtspoor.cli.main import app


async def test_dev_token_is_accepted_with_the_dev_public_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KLACHTSPOOR_DATA_DIR", raising=False)
    result = CliRunner().invoke(app, ["dev", "token", "--tenant", "demo", "--role", "care_worker"])
    assert result.exit_code == 0, result.output
    verifier = TokenVerifier(public_key_pem=(tmp_path / ".dev" / "jwt" / "public.pem").read_text())
    principal = await verifier.verify(result.stdout.strip())
    assert principal.tenants == frozenset({"demo"})
    assert principal.roles == frozenset({Role.CARE_WORKER})


def test_unknown_role_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["dev", "token", "--tenant", "demo", "--role", "boss"])
    assert result.exit_code == 2
    assert "unknown role(s): boss" in result.output
