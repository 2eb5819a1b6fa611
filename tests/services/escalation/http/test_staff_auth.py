"""Who may send what: 401 without a valid token, 404 for a token of another tenant, 403 for a role outside
the command's set. The matrix is checked for every command and every role against the roles each route
documents in OpenAPI, so the documentation and the enforcement cannot drift apart."""

from __future__ import annotations

from uuid import uuid4

import httpx
from opentelemetry.sdk.trace import TracerProvider
from staff_helpers import OTHER_PROVIDER, Staff

from contracts.vocabulary import Role
from services.escalation.bootstrap import bootstrap
from services.escalation.entrypoints import roles
from services.escalation.settings import EscalationSettings

PREFIX = "/v1/tenants/{tenant}/cases/{case_id}/commands/"
TALK = {"held_on": "2026-03-05", "step": "care_worker", "result": "unresolved"}


async def test_without_a_valid_token_401(staff: Staff) -> None:
    case_id = await staff.open_case()
    path = f"/v1/tenants/{staff.tenant}/cases/{case_id}/commands/record-informal-conversation"
    missing = await staff.client.post(path, json=TALK)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    forged = await staff.client.post(path, json=TALK, headers={"Authorization": "Bearer not.a.token"})
    assert forged.status_code == 401
    deadlines = await staff.client.get(f"/v1/tenants/{staff.tenant}/cases/{case_id}/deadlines")
    assert deadlines.status_code == 401
    assert len(await staff.types(case_id)) == 3


async def test_a_token_of_another_tenant_finds_nothing(staff: Staff) -> None:
    case_id = await staff.open_case()
    other = staff.token("care_worker", "manager", tenants=[OTHER_PROVIDER])
    response = await staff.command(case_id, "record-informal-conversation", TALK, other)
    assert response.status_code == 404
    assert (await staff.deadlines(case_id, other)).status_code == 404


async def test_a_role_held_in_another_tenant_does_not_count_in_this_one(staff: Staff) -> None:
    """Complaints officer in another organisation, only care worker here: officer-only commands are 403
    here (before validation, so the same body is 422 for a real officer), and a command both roles may
    send is recorded in the role held here."""
    case_id = await staff.open_case()
    mixed = staff.token(grants={OTHER_PROVIDER: ["complaints_officer"], staff.tenant: ["care_worker"]})
    officer_here = staff.token(grants={staff.tenant: ["complaints_officer"]})
    for name in ("decide-admissibility", "link-as-duplicate"):
        refused = await staff.command(case_id, name, {"unknown_field": 1}, mixed)
        assert refused.status_code == 403, (name, refused.text)
        assert (await staff.command(case_id, name, {"unknown_field": 1}, officer_here)).status_code == 422
    response = await staff.command(case_id, "record-informal-conversation", TALK, mixed)
    assert response.status_code == 200, response.text
    assert (await staff.load(case_id)).events[-1].actor.role is Role.CARE_WORKER
    assert (await staff.deadlines(case_id, mixed)).status_code == 200


async def test_a_judgement_is_given_by_the_judge_it_names(staff: Staff) -> None:
    case_id = await staff.open_case()
    by_committee = {
        "judge": "complaints_committee",
        "outcome": "upheld",
        "reasoning": "Gegrond.",
        "given_on": "2026-03-05",
    }
    response = await staff.command(case_id, "give-judgement", by_committee, staff.token("director"))
    assert response.status_code == 403
    assert "complaints_committee" in response.json()["detail"]


async def test_deadlines_are_for_staff_and_auditors_not_for_confidants_or_complainants(staff: Staff) -> None:
    case_id = await staff.open_case()
    for role in Role:
        response = await staff.deadlines(case_id, staff.token(role.value))
        expected = 200 if role in roles.READ_DEADLINES else 403
        assert response.status_code == expected, (role, response.text)


async def test_every_command_allows_exactly_the_roles_it_documents(staff: Staff) -> None:
    """A body with an unknown field: an allowed role gets past authorisation to validation (422), any
    other role 403, and nothing is appended either way."""
    case_id = await staff.open_case()
    document = (await staff.client.get("/openapi.json")).json()
    commands = {
        path.removeprefix(PREFIX): operation["post"]
        for path, operation in document["paths"].items()
        if path.startswith(PREFIX)
    }
    assert len(commands) == 28
    tokens = {role: staff.token(role.value) for role in Role}
    for name, operation in commands.items():
        documented = operation["description"].removeprefix("Roles: ").rstrip(".").split(", ")
        allowed = {Role(value) for value in documented}
        assert allowed, name
        for role, token in tokens.items():
            response = await staff.command(case_id, name, {"unknown_field": 1}, token)
            expected = 422 if role in allowed else 403
            assert response.status_code == expected, (name, role, response.text)
    assert len(await staff.types(case_id)) == 3


async def test_the_token_subject_and_role_are_recorded_on_the_events(staff: Staff) -> None:
    case_id = await staff.open_case()
    token = staff.token("care_worker", "manager", "auditor", subject="mw-0007")
    response = await staff.command(case_id, "record-informal-conversation", TALK, token)
    assert response.status_code == 200, response.text
    actor = (await staff.load(case_id)).events[-1].actor
    assert (actor.id, actor.role) == ("mw-0007", Role.MANAGER)  # the first allowed role in acting order
    odd_subject = staff.token("care_worker", subject="jan@example.org")
    assert (await staff.command(case_id, "withdraw", {}, odd_subject)).status_code == 401


async def test_without_a_configured_token_key_every_token_is_refused_naming_the_setting(
    nats_url: str, staff: Staff
) -> None:
    settings = EscalationSettings(database_url="postgresql://nobody@127.0.0.1:9/none", nats_url=nats_url)
    app = bootstrap(settings, tracer_provider=TracerProvider()).app  # no key in the settings, no lifespan
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://escalation") as http:
        response = await http.post(
            f"/v1/tenants/demo/cases/{uuid4()}/commands/withdraw",
            json={},
            headers={"Authorization": f"Bearer {staff.token('manager', tenants=['demo'])}"},
        )
    assert response.status_code == 401
    assert "KLACHTSPOOR_JWT_PUBLIC_KEY_FILE" in response.json()["detail"]
