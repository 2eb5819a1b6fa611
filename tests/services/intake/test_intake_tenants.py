"""The tenant registry and the shipped tenants file."""

from __future__ import annotations

from pathlib import Path

import pytest

from contracts.vocabulary import TenantKind
from klachtspoor.settings import Settings
from klachtspoor.tenants import Tenant, TenantFileError, TenantRegistry, UnknownTenant

REPO = Path(__file__).resolve().parents[3]
SHIPPED = REPO / "config" / "tenants.yaml"
GENERIC_MAILBOXES = {"info", "klachten", "secretariaat", "contact"}


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tenants.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_file_has_the_demo_and_one_tenant_per_published_procedure() -> None:
    registry = TenantRegistry.from_settings(Settings(tenants_file=SHIPPED))
    assert registry.get("demo").display_name == "Demo Jeugdhulp"
    assert len(registry) == 6
    assert {t.kind for t in registry} == {TenantKind.PROVIDER, TenantKind.CONFIDANT_ORG}


def test_shipped_contacts_are_organisation_level_only() -> None:
    """General mailboxes and landline or service numbers; a mobile number (06) is a person's."""
    for tenant in TenantRegistry.from_file(SHIPPED):
        contact = tenant.contact
        if contact.email is not None:
            assert contact.email.split("@")[0] in GENERIC_MAILBOXES, tenant.slug
        if contact.phone is not None:
            assert not contact.phone.replace(" ", "").startswith("06"), tenant.slug


def test_get_an_unknown_tenant_raises_a_typed_error_naming_it() -> None:
    registry = TenantRegistry.from_file(SHIPPED)
    with pytest.raises(UnknownTenant, match="'nope'") as raised:
        registry.get("nope")
    assert raised.value.slug == "nope"
    assert "nope" not in registry and "demo" in registry


def test_tenants_are_frozen() -> None:
    tenant = TenantRegistry.from_file(SHIPPED).get("demo")
    with pytest.raises(ValueError, match="frozen"):
        tenant.display_name = "Anders"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("tenants: []", "tenants"),
        ("tenants:\n  - slug: Demo\n", "tenants.0.slug"),
        (
            "tenants:\n  - {slug: a, display_name: A, kind: provider, mail_sender_name: A,"
            " contact: {}, colour: red}\n",
            "tenants.0.colour",
        ),
        (
            "tenants:\n  - {slug: a, display_name: A, kind: school, mail_sender_name: A,"
            " contact: {phone: '010 123 4567'}}\n",
            "tenants.0.kind",
        ),
        (
            "tenants:\n  - {slug: a, display_name: A, kind: provider, mail_sender_name: A, contact: {}}\n",
            "tenants.0.contact",
        ),
    ],
)
def test_a_bad_file_names_the_file_and_the_field(tmp_path: Path, text: str, field: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(TenantFileError) as raised:
        TenantRegistry.from_file(path)
    assert str(path) in str(raised.value)
    assert any(problem.startswith(field) for problem in raised.value.problems), raised.value.problems


def test_repeated_slugs_are_refused(tmp_path: Path) -> None:
    one = "{slug: a, display_name: A, kind: provider, mail_sender_name: A, contact: {website: 'https://a.example'}}"
    path = _write(tmp_path, f"tenants:\n  - {one}\n  - {one}\n")
    with pytest.raises(TenantFileError, match="repeated: a"):
        TenantRegistry.from_file(path)


def test_a_missing_or_unparsable_file_is_a_tenant_file_error(tmp_path: Path) -> None:
    with pytest.raises(TenantFileError, match="cannot read"):
        TenantRegistry.from_file(tmp_path / "absent.yaml")
    with pytest.raises(TenantFileError, match="not YAML"):
        TenantRegistry.from_file(_write(tmp_path, "tenants: [unclosed"))


def test_a_registry_can_be_built_from_models() -> None:
    tenant = Tenant.model_validate(
        {
            "slug": "x",
            "display_name": "X",
            "kind": "provider",
            "mail_sender_name": "X",
            "contact": {"website": "https://x.example"},
        }
    )
    assert TenantRegistry([tenant]).slugs == ("x",)
