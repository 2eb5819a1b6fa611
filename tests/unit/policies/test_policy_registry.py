"""Loading policies from files: every version kept, the latest or a pinned one returned, errors naming
the file and the field; ``policies check`` reports every problem, also between policies and tenants."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from policy_examples import valid_policy
from typer.testing import CliRunner

from klachtspoor.cli.main import app
from klachtspoor.policies import PolicyFileError, PolicyRegistry, UnknownPolicy, check_directory
from klachtspoor.settings import Settings
from klachtspoor.tenants import Tenant, TenantRegistry


def _write(root: Path, relative: str, raw: Any) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        raw if isinstance(raw, str) else yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8"
    )
    return path


def _tenant(slug: str, kind: str = "provider", policy: str | None = None) -> Tenant:
    return Tenant.model_validate(
        {
            "slug": slug,
            "display_name": slug,
            "kind": kind,
            "mail_sender_name": slug,
            "contact": {"website": f"https://{slug}.example"},
            "policy": policy,
        }
    )


def test_get_returns_the_latest_version_or_the_pinned_one(tmp_path: Path) -> None:
    _write(tmp_path, "voorbeeld/v1.yaml", valid_policy(title="Eerste versie"))
    _write(tmp_path, "voorbeeld/v2.yaml", valid_policy(version=2, title="Tweede versie"))
    registry = PolicyRegistry.from_directory(tmp_path)

    assert registry.get("voorbeeld").title == "Tweede versie"
    assert registry.get("voorbeeld", 1).title == "Eerste versie"
    assert registry.latest_version("voorbeeld") == 2
    assert registry.versions("voorbeeld") == (1, 2)
    assert len(registry) == 2 and "voorbeeld" in registry and registry.ids == ("voorbeeld",)


def test_unknown_policies_and_versions_are_typed_errors_naming_what_exists(tmp_path: Path) -> None:
    _write(tmp_path, "voorbeeld/v1.yaml", valid_policy())
    registry = PolicyRegistry.from_directory(tmp_path)
    with pytest.raises(UnknownPolicy, match=r"Unknown policy 'nope' \(known: voorbeeld\)") as raised:
        registry.get("nope")
    assert (raised.value.policy_id, raised.value.version) == ("nope", None)
    with pytest.raises(UnknownPolicy, match=r"'voorbeeld' version 3 \(known: voorbeeld v1\)"):
        registry.get("voorbeeld", 3)
    assert isinstance(raised.value, LookupError)


def test_a_bad_field_is_named_with_the_file(tmp_path: Path) -> None:
    raw = valid_policy()
    raw["terms"][0]["step"] = "director"
    path = _write(tmp_path, "voorbeeld/v1.yaml", raw)
    with pytest.raises(PolicyFileError) as raised:
        PolicyRegistry.from_directory(tmp_path)
    assert raised.value.path == str(path)
    assert [p.split(":")[0] for p in raised.value.problems] == ["terms.0.step"]
    assert str(path) in str(raised.value)


def test_a_nested_models_own_check_is_named_by_its_full_path(tmp_path: Path) -> None:
    line = {"kind": "veilig_thuis", "label": "Veilig Thuis"}
    _write(tmp_path, "voorbeeld/v1.yaml", valid_policy(crisis_contacts=[line]))
    with pytest.raises(PolicyFileError) as raised:
        PolicyRegistry.from_directory(tmp_path)
    assert raised.value.problems == ("crisis_contacts.0.phone: a veilig_thuis contact needs a number",)


@pytest.mark.parametrize(
    ("relative", "raw", "problem"),
    [
        ("anders/v1.yaml", valid_policy(), "id: 'voorbeeld' does not match its directory 'anders'"),
        ("voorbeeld/v2.yaml", valid_policy(), "version: 1 does not match its file name 'v2.yaml'"),
        ("voorbeeld/latest.yaml", valid_policy(), "expected <policy id>/v<version>.yaml"),
        ("voorbeeld.yaml", valid_policy(), "expected <policy id>/v<version>.yaml"),
        ("voorbeeld/v1.yaml", "ladder: [unclosed", "not YAML"),
        ("voorbeeld/v1.yaml", "- just\n- a list\n", "(policy): Input should be a valid dictionary"),
    ],
)
def test_a_misplaced_or_unreadable_file_is_refused(
    tmp_path: Path, relative: str, raw: Any, problem: str
) -> None:
    _write(tmp_path, relative, raw)
    with pytest.raises(PolicyFileError, match="Invalid policy file") as raised:
        PolicyRegistry.from_directory(tmp_path)
    assert any(problem in line for line in raised.value.problems), raised.value.problems


def test_a_missing_directory_is_a_policy_file_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyFileError, match="not a directory of policies"):
        PolicyRegistry.from_settings(Settings(policies_dir=tmp_path / "absent"))


def test_check_reports_every_problem_and_the_references_to_tenants(tmp_path: Path) -> None:
    raw = valid_policy(confidant={"placement": "external", "organisation": "aanbieder"})
    _write(tmp_path, "voorbeeld/v1.yaml", raw)
    _write(tmp_path, "kapot/v1.yaml", valid_policy(id="kapot", categories=[]))
    _write(
        tmp_path,
        "vreemd/v1.yaml",
        valid_policy(id="vreemd", confidant={"placement": "external", "organisation": "onbekend"}),
    )
    tenants = TenantRegistry([_tenant("aanbieder", policy="ontbreekt"), _tenant("vp", "confidant_org")])

    problems = check_directory(tmp_path, tenants)

    assert len(problems) == 4, problems
    assert "kapot/v1.yaml: categories:" in problems[0]
    assert problems[1:] == [
        "Tenant aanbieder names policy 'ontbreekt', which does not exist",
        "Policy voorbeeld v1 confidant.organisation: tenant 'aanbieder' is not a confidant_org",
        "Policy vreemd v1 confidant.organisation: 'onbekend' is not a tenant",
    ]
    fixed = valid_policy(confidant={"placement": "external", "organisation": "vp"})
    _write(tmp_path, "voorbeeld/v1.yaml", fixed)
    assert check_directory(tmp_path / "voorbeeld", None) != [], "a policy outside <id>/ is misplaced"


def test_the_cli_lists_policies_and_checks_them(tmp_path: Path) -> None:
    policies = tmp_path / "policies"
    _write(policies, "voorbeeld/v1.yaml", valid_policy())
    tenants = tmp_path / "tenants.yaml"
    tenants.write_text(
        yaml.safe_dump({"tenants": [_tenant("aanbieder", policy="voorbeeld").model_dump(mode="json")]}),
        encoding="utf-8",
    )
    runner = CliRunner()

    listed = runner.invoke(app, ["policies", "list", "--dir", str(policies)])
    assert listed.exit_code == 0, listed.output
    assert (
        "voorbeeld\tv1\tjeugdwet\tone_by_one\tcare_worker → manager → complaints_committee" in listed.output
    )

    checked = runner.invoke(app, ["policies", "check", "--dir", str(policies), "--tenants", str(tenants)])
    assert checked.exit_code == 0, checked.output
    assert "1 policy file(s)" in checked.output

    _write(policies, "voorbeeld/v2.yaml", valid_policy(version=2, order="sometimes"))
    failed = runner.invoke(app, ["policies", "check", "--dir", str(policies), "--tenants", str(tenants)])
    assert failed.exit_code == 1
    assert "voorbeeld/v2.yaml: order:" in failed.output
    assert runner.invoke(app, ["policies", "list", "--dir", str(policies)]).exit_code == 1
