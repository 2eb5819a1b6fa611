"""A confidant's contact on no case over HTTP, against the real store: registered in the confidant
organisation's tenant on a stream of its own, idempotent by key; bad input 422, another role 403, a token
of other tenants 404, a provider's tenant 409; nothing written whenever it is refused."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from staff_helpers import CONFIDANT_ORG, OTHER_CONFIDANT_ORG, OTHER_PROVIDER, Staff

from contracts.events import AdviceContactRegistered
from contracts.vocabulary import Category, Channel, ContactKind, Role
from klachtspoor.eventstore.streams import contact_stream

SUBJECT = "vp-akj-0042"


def contact(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "contacted_on": "2026-03-04",
        "channel": "chat",
        "kind": "advice",
        "categories": ["treatment", "information"],
        "organisation_concerned": OTHER_PROVIDER,
    }
    return body | fields


async def post(
    staff: Staff,
    contact_id: UUID,
    body: dict[str, Any],
    token: str,
    *,
    tenant: str = CONFIDANT_ORG,
    key: str | None = None,
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} | ({"Idempotency-Key": key} if key else {})
    path = f"/v1/tenants/{tenant}/contacts/{contact_id}/commands/register"
    return await staff.client.post(path, json=body, headers=headers)


def confidant(staff: Staff, tenant: str = CONFIDANT_ORG) -> str:
    return staff.token("confidant", tenants=[tenant], subject=SUBJECT)


async def written(staff: Staff, contact_id: UUID, tenant: str = CONFIDANT_ORG) -> list[Any]:
    return list((await staff.repository.load(contact_stream(tenant, str(contact_id)))).events)


async def test_a_confidant_registers_a_contact_on_a_stream_of_its_own(staff: Staff) -> None:
    contact_id = uuid4()
    response = await post(staff, contact_id, contact(), confidant(staff))
    assert response.status_code == 200, response.text
    answer = response.json()
    assert (answer["appended"], answer["version"], answer["replayed"]) == (
        ["AdviceContactRegistered"],
        0,
        False,
    )
    assert answer["contact_id"] == str(contact_id)
    [envelope] = await written(staff, contact_id)
    assert envelope.stream == f"contact:{CONFIDANT_ORG}:{contact_id}"
    assert (envelope.tenant, envelope.case_id) == (CONFIDANT_ORG, contact_id)
    assert (envelope.actor.id, envelope.actor.role) == (SUBJECT, Role.CONFIDANT)
    assert envelope.event == AdviceContactRegistered(
        contact_id=contact_id,
        contacted_on=envelope.event.contacted_on,  # type: ignore[union-attr]
        channel=Channel.CHAT,
        kind=ContactKind.ADVICE,
        categories=(Category.TREATMENT, Category.INFORMATION),
        organisation_concerned=OTHER_PROVIDER,
    )
    assert str(envelope.event.contacted_on) == "2026-03-04"  # type: ignore[union-attr]
    other = await post(staff, uuid4(), contact(organisation_concerned=None, categories=[]), confidant(staff))
    assert other.status_code == 200, other.text


async def test_a_retry_with_the_same_key_appends_nothing_a_reused_key_is_refused(staff: Staff) -> None:
    contact_id = uuid4()
    first = await post(staff, contact_id, contact(), confidant(staff), key="contact-1")
    again = await post(staff, contact_id, contact(), confidant(staff), key="contact-1")
    assert first.status_code == again.status_code == 200, again.text
    assert again.json()["replayed"] is True and again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["command_id"] == first.json()["command_id"]
    reused = await post(staff, contact_id, contact(kind="support"), confidant(staff), key="contact-1")
    assert reused.status_code == 422, reused.text
    assert reused.json()["errors"][0]["field"] == "header.Idempotency-Key"
    same = await post(staff, contact_id, contact(), confidant(staff))
    assert (same.status_code, same.json()["appended"]) == (200, [])
    other = await post(staff, contact_id, contact(kind="support"), confidant(staff))
    assert (other.status_code, other.json()["rule"]) == (409, "contact_already_registered")
    assert len(await written(staff, contact_id)) == 1


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        (contact(kind="klacht"), "body.kind", None),
        (contact(channel="fax"), "body.channel", None),
        (contact(categories=["treatment", "treatment"]), "body.categories", None),
        (contact(categories=["wachttijd"]), "body.categories.0", None),
        (contact(contacted_on=20260304), "body.contacted_on", None),
        ({k: v for k, v in contact().items() if k != "kind"}, "body.kind", None),
        (contact(summary="Naam en verhaal"), "body.summary", None),
        (contact(contacted_on="2026-03-06"), "body.contacted_on", "contact_date_in_future"),
        (
            contact(organisation_concerned="onbekend"),
            "body.organisation_concerned",
            "organisation_concerned_not_a_provider",
        ),
        (
            contact(organisation_concerned=OTHER_CONFIDANT_ORG),
            "body.organisation_concerned",
            "organisation_concerned_not_a_provider",
        ),
        (contact(organisation_concerned="Geen Slug!"), "body.organisation_concerned", None),
    ],
)
async def test_bad_input_is_422_naming_the_field_and_writes_nothing(
    staff: Staff, body: dict[str, Any], field: str, rule: str | None
) -> None:
    contact_id = uuid4()
    response = await post(staff, contact_id, body, confidant(staff))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert field in [error["field"] for error in problem["errors"]]
    assert problem.get("rule") == rule
    assert [error.get("rule") for error in problem["errors"] if error["field"] == field] == [rule]
    assert await written(staff, contact_id) == []


async def test_roles_and_tenants(staff: Staff) -> None:
    """Another role in the confidant organisation 403; a token of other tenants only 404 (a confidant
    role at the provider counts for nothing there); a provider's tenant has no such register (409)."""
    contact_id = uuid4()
    worker = staff.token("care_worker", "complaints_officer", tenants=[CONFIDANT_ORG], subject=SUBJECT)
    assert (await post(staff, contact_id, contact(), worker)).status_code == 403
    elsewhere = confidant(staff, tenant=staff.tenant)
    assert (await post(staff, contact_id, contact(), elsewhere)).status_code == 404
    assert (await post(staff, contact_id, contact(), confidant(staff), tenant="onbekend")).status_code == 404
    at_provider = await post(staff, contact_id, contact(), elsewhere, tenant=staff.tenant)
    assert (at_provider.status_code, at_provider.json()["rule"]) == (409, "contact_at_confidant_organisation")
    assert (await post(staff, contact_id, contact(), "not-a-token")).status_code == 401
    assert await written(staff, contact_id) == []
    assert await written(staff, contact_id, tenant=staff.tenant) == []


async def test_a_contact_registered_by_mistake_is_withdrawn(staff: Staff) -> None:
    contact_id = uuid4()
    path = f"/v1/tenants/{CONFIDANT_ORG}/contacts/{contact_id}/commands/withdraw"
    auth = {"Authorization": f"Bearer {confidant(staff)}"}
    never = await staff.client.post(path, json={}, headers=auth)
    assert (never.status_code, never.json()["rule"]) == (409, "contact_not_registered")
    assert (await post(staff, contact_id, contact(), confidant(staff))).status_code == 200
    assert (await staff.client.post(path, json={"reason": "typo"}, headers=auth)).status_code == 422
    withdrawn = await staff.client.post(path, json={}, headers=auth | {"Idempotency-Key": "withdraw-1"})
    assert (withdrawn.status_code, withdrawn.json()["appended"], withdrawn.json()["version"]) == (
        200,
        ["AdviceContactWithdrawn"],
        1,
    )
    again = await staff.client.post(path, json={}, headers=auth | {"Idempotency-Key": "withdraw-1"})
    assert again.json()["replayed"] is True
    spent = await post(staff, contact_id, contact(), confidant(staff))
    assert (spent.status_code, spent.json()["rule"]) == (409, "contact_withdrawn")
    worker = staff.token("complaints_officer", tenants=[CONFIDANT_ORG], subject=SUBJECT)
    forbidden = await staff.client.post(path, json={}, headers={"Authorization": f"Bearer {worker}"})
    assert forbidden.status_code == 403
    assert [envelope.type for envelope in await written(staff, contact_id)] == [
        "AdviceContactRegistered",
        "AdviceContactWithdrawn",
    ]
