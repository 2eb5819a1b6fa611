"""A new case pins the latest version of its tenant's procedure policy, in the case's first append."""

from __future__ import annotations

from pathlib import Path

import asyncpg
import pytest
import yaml
from intake_helpers import REPO, Intake, signal_body

from contracts.events.intake import ProcedurePolicyPinned
from klachtspoor.auth import TokenVerifier
from klachtspoor.policies import PolicyRegistry
from klachtspoor.tenants import Tenant, TenantRegistry
from services.intake.adapters.policies import TenantPolicyMissing, latest_policy_pins
from services.intake.application.open_case import IntakeService
from services.intake.bootstrap import bootstrap
from services.intake.settings import IntakeSettings

SHIPPED_POLICIES = REPO / "policies"


async def _pinned(intake: Intake, tenant: str, case_id: str) -> ProcedurePolicyPinned:
    case = await intake.load(tenant, case_id)
    pins = [e.event for e in case.events if isinstance(e.event, ProcedurePolicyPinned)]
    assert len(pins) == 1, [e.type for e in case.events]
    return pins[0]


async def _transactions(intake: Intake, stream: str) -> int:
    conn = await asyncpg.connect(intake.settings.database_url)
    try:
        count: int = await conn.fetchval(
            "SELECT count(DISTINCT xid) FROM eventstore.events WHERE stream_name = $1", stream
        )
        return count
    finally:
        await conn.close()


async def test_a_tenants_case_pins_the_shipped_policy_in_its_first_append(intake: Intake) -> None:
    tenant = "so-trainingsbureau"
    token = intake.token(tenants=[tenant])
    response = await intake.submit(signal_body(), tenant=tenant, token=token)

    assert response.status_code == 201, response.text
    case_id = response.json()["case_id"]
    case = await intake.load(tenant, case_id)
    assert [e.type for e in case.events] == [
        "SignalReceived",
        "CaseReferenceAssigned",
        "ProcedurePolicyPinned",
    ]
    expected = PolicyRegistry.from_directory(SHIPPED_POLICIES).get(tenant)
    pinned = await _pinned(intake, tenant, case_id)
    assert (pinned.policy_id, pinned.policy_version) == (expected.id, expected.version)
    assert await _transactions(intake, case.events[0].stream) == 1, "one append opens the case"


def _publish(directory: Path, version: int) -> None:
    """Copy the shipped demo policy into ``directory`` as ``version`` (only the version changes)."""
    raw = yaml.safe_load((SHIPPED_POLICIES / "demo" / "v1.yaml").read_text(encoding="utf-8"))
    raw["version"] = version
    target = directory / "demo" / f"v{version}.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")


async def test_a_new_version_is_pinned_on_new_cases_and_old_cases_keep_theirs(
    intake: Intake, tmp_path: Path
) -> None:
    live: IntakeService = intake.app.state.intake
    _publish(tmp_path, 1)
    intake.app.state.intake = IntakeService(
        live.repository,
        live.references,
        macs=live.macs,
        policies=latest_policy_pins(PolicyRegistry.from_directory(tmp_path)),
    )
    first = (await intake.submit(signal_body(), key="before-v2")).json()["case_id"]

    _publish(tmp_path, 2)
    intake.app.state.intake = IntakeService(
        live.repository,
        live.references,
        macs=live.macs,
        policies=latest_policy_pins(PolicyRegistry.from_directory(tmp_path)),
    )
    second = (await intake.submit(signal_body(), key="after-v2")).json()["case_id"]
    retried = await intake.submit(signal_body(), key="before-v2")

    assert (await _pinned(intake, "demo", first)).policy_version == 1
    assert (await _pinned(intake, "demo", second)).policy_version == 2
    assert retried.json()["case_id"] == first
    assert (await _pinned(intake, "demo", first)).policy_version == 1, "a retry does not re-pin"


def test_a_tenant_naming_an_unknown_policy_stops_the_start(jwt_keys: tuple[str, Path]) -> None:
    tenant = Tenant.model_validate(
        {
            "slug": "zonder-beleid",
            "display_name": "Zonder beleid",
            "kind": "provider",
            "mail_sender_name": "Zonder beleid",
            "contact": {"website": "https://zonder-beleid.example"},
            "policy": "bestaat-niet",
        }
    )
    settings = IntakeSettings(policies_dir=SHIPPED_POLICIES)
    verifier = TokenVerifier(public_key_pem=jwt_keys[1].read_text())
    with pytest.raises(TenantPolicyMissing, match="zonder-beleid names policy 'bestaat-niet'") as raised:
        bootstrap(settings, tenants=TenantRegistry([tenant]), verifier=verifier, telemetry=False)
    assert (raised.value.tenant, raised.value.policy_id) == ("zonder-beleid", "bestaat-niet")
    assert "so-trainingsbureau" in str(raised.value), "the error lists the policies that do exist"
