"""Bad input and bad tokens: a 4xx problem naming the field, and nothing written anywhere.

Each test runs a table of cases against one fresh database and checks after every case that the store
and intake's reference table are still empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import asyncpg
import httpx
import jwt
from intake_helpers import Intake, signal_body

from klachtspoor.auth.devkeys import ensure_dev_keys, mint_token, same_roles


@dataclass(frozen=True)
class Case:
    name: str
    status: int
    fields: tuple[str, ...] = ()
    body: Any = field(default_factory=signal_body)
    raw: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    tenant: str = "demo"


def _without(*path: str) -> dict[str, Any]:
    body = signal_body()
    target = body
    for part in path[:-1]:
        target = target[part]
    del target[path[-1]]
    return body


def _complainant(**changes: Any) -> dict[str, Any]:
    return signal_body(complainant={**signal_body()["complainant"], **changes})


BAD_INPUT = [
    Case("malformed JSON", 400, raw=b'{"channel": "web_form",'),
    Case("not an object", 422, ("body",), body=["web_form"]),
    Case("unknown field", 422, ("body.colour",), body=signal_body(colour="rood")),
    Case("unknown nested field", 422, ("body.complainant.shoe_size",), body=_complainant(shoe_size=38)),
    Case("missing description", 422, ("body.description",), body=_without("description")),
    Case("missing complainant", 422, ("body.complainant",), body=_without("complainant")),
    Case("missing capacity", 422, ("body.complainant.capacity",), body=_without("complainant", "capacity")),
    Case("missing channel", 422, ("body.channel",), body=_without("channel")),
    Case("unknown channel", 422, ("body.channel",), body=signal_body(channel="pigeon")),
    Case("unknown category", 422, ("body.categories.0",), body=signal_body(categories=["food"])),
    Case("repeated category", 422, ("body.categories",), body=signal_body(categories=["other", "other"])),
    Case("empty description", 422, ("body.description",), body=signal_body(description="")),
    Case("bad date", 422, ("body.received_on",), body=signal_body(received_on="2026-02-30")),
    Case("received tomorrow", 422, ("body.received_on",), body=signal_body(received_on="2026-03-03")),
    Case(
        "received before the calendar", 422, ("body.received_on",), body=signal_body(received_on="1900-01-01")
    ),
    Case("received in year 1", 422, ("body.received_on",), body=signal_body(received_on="0001-01-01")),
    Case(
        "three addresses", 422, ("body.complainant.email",), body=_complainant(email="a@x.nl, b@y.nl, c@z.nl")
    ),
    Case(
        "two addresses, no space", 422, ("body.complainant.email",), body=_complainant(email="a@x.nl;b@y.nl")
    ),
    Case("address with a name", 422, ("body.complainant.email",), body=_complainant(email="Jan <a@x.nl>")),
    Case(
        "address with a header",
        422,
        ("body.complainant.email",),
        body=_complainant(email="a@x.nl\r\nBcc: b@y.nl"),
    ),
    Case("not an address", 422, ("body.complainant.email",), body=_complainant(email="a")),
    Case("name of two lines", 422, ("body.complainant.name",), body=_complainant(name="Jan\nBcc: b@y.nl")),
    Case("name too long", 422, ("body.complainant.name",), body=_complainant(name="n" * 201)),
    Case("phone too long", 422, ("body.complainant.phone",), body=_complainant(phone="0" * 41)),
    Case(
        "address too long",
        422,
        ("body.complainant.postal_address",),
        body=_complainant(postal_address="a" * 501),
    ),
    Case(
        "anonymous with a name",
        422,
        ("body.anonymous",),
        body=signal_body(anonymous=True, complainant={"capacity": "client", "name": "Sanne"}),
    ),
    Case(
        "mail preferred without an address",
        422,
        ("body.complainant",),
        body=signal_body(complainant={"capacity": "client", "preferred_channel": "email"}),
    ),
    Case(
        "the dossier is no channel to prefer",
        422,
        ("body.complainant",),
        body=signal_body(
            complainant={"capacity": "client", "email": "o@example.org", "preferred_channel": "dossier"}
        ),
    ),
    Case(
        "capacity the token does not have",
        422,
        ("body.complainant.capacity",),
        body=_complainant(capacity="legal_representative"),
    ),
    # The policy's own rules, as escalation applies them: Ik ben er ook!'s steps one by one (a signal
    # straight to the committee would skip steps 1-3), SO!'s "vanaf 12 jaar" for a klantsignaal too.
    Case(
        "raised with Ik ben er ook!'s committee",
        422,
        ("body.raised_with",),
        body=signal_body(raised_with="complaints_committee"),
        tenant="ik-ben-er-ook",
    ),
    Case(
        "raised with a step the demo ladder may not skip to",
        422,
        ("body.raised_with",),
        body=signal_body(raised_with="complaints_officer"),
    ),
    Case(
        "a child under 12 alone at SO!",
        422,
        ("body.complainant.client_age_band",),
        body=_complainant(client_age_band="under_12"),
        tenant="so-trainingsbureau",
    ),
    Case("body over the size limit", 413, body=signal_body(description="x" * 70_000)),
    Case("key with spaces", 422, ("header.Idempotency-Key",), headers={"Idempotency-Key": "a b"}),
    Case("key too long", 422, ("header.Idempotency-Key",), headers={"Idempotency-Key": "k" * 201}),
    Case("unknown tenant", 404, tenant="no-such-tenant"),
]


async def _nothing_written(intake: Intake) -> None:
    assert await intake.all_events() == []
    conn = await asyncpg.connect(intake.settings.database_url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM intake.case_references") == 0
        assert await conn.fetchval("SELECT coalesce(sum(last_number), 0) FROM intake.reference_counters") == 0
    finally:
        await conn.close()


async def _post(intake: Intake, case: Case, token: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}", **case.headers}
    url = f"/v1/tenants/{case.tenant}/signals"
    if case.raw is not None:
        headers["Content-Type"] = "application/json"
        return await intake.client.post(url, content=case.raw, headers=headers)
    return await intake.client.post(url, json=case.body, headers=headers)


def _check_problem(case: Case, response: httpx.Response) -> None:
    assert response.status_code == case.status, (case.name, response.status_code, response.text)
    assert response.headers["content-type"] == "application/problem+json", case.name
    problem = response.json()
    assert problem["status"] == case.status, case.name
    named = [error["field"] for error in problem.get("errors", [])]
    for expected in case.fields:
        assert expected in named, (case.name, named)
        assert expected in problem["detail"], (case.name, problem["detail"])


async def test_bad_input_is_a_problem_naming_the_field_and_writes_nothing(intake: Intake) -> None:
    tenants = ["demo", "no-such-tenant", "ik-ben-er-ook", "so-trainingsbureau"]
    token = intake.token(roles=["client"], tenants=tenants)
    for case in BAD_INPUT:
        response = await _post(intake, case, token)
        _check_problem(case, response)
        for personal in ("Sanne", "begeleider", "example.org", "x.nl", "Bcc"):
            assert personal not in response.text, (case.name, "a submitted value is echoed")
        await _nothing_written(intake)


async def test_a_rule_of_the_day_or_the_calendar_names_itself_and_not_the_date(intake: Intake) -> None:
    """Rules applied after validation say which rule they are (``rule``), never the submitted date."""
    token = intake.token(roles=["client"])
    for received_on, rule in (("2999-01-01", "not_after_today"), ("1900-01-01", "within_calendar")):
        response = await intake.submit(signal_body(received_on=received_on), token=token)
        assert response.status_code == 422, response.text
        [error] = response.json()["errors"]
        assert (error["field"], error["rule"]) == ("body.received_on", rule)
        assert received_on not in response.text
        await _nothing_written(intake)


async def test_tokens_and_roles(intake: Intake, tmp_path: Any) -> None:
    other_key, _ = ensure_dev_keys(tmp_path / "other-idp")
    forged = mint_token(other_key.read_text(), subject="x", tenant_roles=same_roles(["demo"], ["client"]))
    expired = mint_token(
        intake.private_key, subject="x", tenant_roles=same_roles(["demo"], ["client"]), ttl_seconds=-60
    )
    unsigned = jwt.encode({"sub": "x", "tenant_roles": {"demo": ["client"]}}, key="", algorithm="none")
    client_elsewhere = mint_token(
        intake.private_key, subject="account-7f3a", tenant_roles={"lsr": ["client"], "demo": ["auditor"]}
    )
    cases = [
        ("no token", None, 401),
        ("not a JWT", "Bearer nonsense", 401),
        ("signed by another key", f"Bearer {forged}", 401),
        ("expired", f"Bearer {expired}", 401),
        ("unsigned", f"Bearer {unsigned}", 401),
        ("basic auth", "Basic dXNlcjpwYXNz", 401),
        ("token of another tenant", f"Bearer {intake.token(tenants=['lsr'])}", 404),
        ("auditor", f"Bearer {intake.token(roles=['auditor'])}", 403),
        ("confidant", f"Bearer {intake.token(roles=['confidant'])}", 403),
        ("committee", f"Bearer {intake.token(roles=['complaints_committee'])}", 403),
        ("subject with an e-mail", f"Bearer {intake.token(subject='sanne@example.org')}", 401),
        ("client in another tenant only", f"Bearer {client_elsewhere}", 403),
    ]
    for name, authorization, status in cases:
        headers = {} if authorization is None else {"Authorization": authorization}
        response = await intake.client.post("/v1/tenants/demo/signals", json=signal_body(), headers=headers)
        assert response.status_code == status, (name, response.text)
        assert response.headers["content-type"] == "application/problem+json", name
        if status == 401:
            assert response.headers["www-authenticate"] == "Bearer", name
        await _nothing_written(intake)

    other_tenant = intake.token(tenants=["lsr"])
    known = await intake.submit(signal_body(), token=other_tenant, tenant="demo")
    unknown = await intake.submit(signal_body(), token=other_tenant, tenant="no-such-tenant")
    assert known.status_code == unknown.status_code == 404
    assert known.json()["title"] == unknown.json()["title"], "an existing tenant looks like an unknown one"


async def test_a_refusal_by_the_policy_names_its_rule(intake: Intake) -> None:
    token = intake.token(roles=["client"], tenants=["ik-ben-er-ook"])
    body = signal_body(raised_with="complaints_committee")
    response = await intake.submit(body, tenant="ik-ben-er-ook", token=token)
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert [(e["field"], e["rule"]) for e in errors] == [("body.raised_with", "ladder_one_by_one")]
    await _nothing_written(intake)
