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
    grants = ["--grant", "demo=care_worker,complaints_officer", "--grant", "other=care_worker"]
    result = CliRunner().invoke(app, ["dev", "token", *grants])
    assert result.exit_code == 0, result.output
    verifier = TokenVerifier(public_key_pem=(tmp_path / ".dev" / "jwt" / "public.pem").read_text())
    principal = await verifier.verify(result.stdout.strip())
    assert principal.tenants == frozenset({"demo", "other"})
    assert principal.roles_in("demo") == frozenset({Role.CARE_WORKER, Role.COMPLAINTS_OFFICER})
    assert principal.roles_in("other") == frozenset({Role.CARE_WORKER})


def test_unknown_role_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["dev", "token", "--grant", "demo=boss"])
    assert result.exit_code == 2
    assert "unknown role(s): boss" in result.output


@pytest.mark.parametrize("grant", ["demo", "demo=", "=care_worker"])
def test_a_grant_without_tenant_or_role_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, grant: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["dev", "token", "--grant", grant])
    assert result.exit_code == 2
    assert "TENANT=ROLE" in result.output


def test_a_token_longer_than_the_cap_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["dev", "token", "--grant", "demo=care_worker", "--hours", "13"])
    assert result.exit_code == 2
    assert "12" in result.output
