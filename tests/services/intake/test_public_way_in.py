"""The public way in as JSON (``POST /v1/public/tenants/{tenant}/complaints``), without a token: the
receipt and the secret's hash in the case's birth, the policy's rules, the honeypot and the rate limits,
each refusal a typed problem with nothing written (docs/public.md)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from intake_helpers import Intake

from klachtspoor.dossier.secret import verify
from klachtspoor.http.ratelimit import Limit

MARKER = "Xq7-geheim-verhaal"


def complaint(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "capacity": "legal_representative",
        "client_age_band": "under_12",
        "raised_with": "care_worker",
        "description": f"Mijn dochter wordt niet serieus genomen. {MARKER}",
        "name": "Ouder van Lotte",
        "email": "ouder@example.org",
    }
    body.update(changes)
    return body


async def file(intake: Intake, body: Any, tenant: str = "so-trainingsbureau") -> Any:
    return await intake.client.post(f"/v1/public/tenants/{tenant}/complaints", json=body)


async def test_a_parent_files_without_a_token_and_gets_a_receipt_and_a_secret(intake: Intake) -> None:
    answer = await file(intake, complaint())
    assert answer.status_code == 201, answer.text
    receipt = answer.json()
    assert receipt["reference"].startswith("KS-2026-")
    assert receipt["dossier"].endswith("/dossier/so-trainingsbureau")
    events = await intake.all_events()
    assert [e.type for e in events] == [
        "SignalReceived",
        "CaseReferenceAssigned",
        "ProcedurePolicyPinned",
        "DossierSecretIssued",
    ]
    assert receipt["secret"] not in "".join(e.data for e in events)
    assert MARKER not in "".join(e.data for e in events)  # encrypted under the case key
    case = await intake.load("so-trainingsbureau", events[0].stream.rsplit(":", 1)[1])
    issued = case.events[3].event
    assert verify(receipt["secret"], issued.secret_hash)  # type: ignore[union-attr]
    assert issued.secret_hash.startswith("scrypt$15$8$1$")  # type: ignore[union-attr]
    signal = case.events[0]
    assert signal.actor.id == "public-form" and signal.actor.role == "legal_representative"
    assert signal.event.channel == "web_form"  # type: ignore[union-attr]


async def test_anonymous_filing_records_no_identity(intake: Intake) -> None:
    body = complaint(
        anonymous=True, name=None, email=None, capacity="client", client_age_band="from_12_to_17"
    )
    answer = await file(intake, {k: v for k, v in body.items() if v is not None})
    assert answer.status_code == 201, answer.text
    events = await intake.all_events()
    case = await intake.load("so-trainingsbureau", events[0].stream.rsplit(":", 1)[1])
    assert case.events[0].actor.id == "anonymous"
    assert not case.events[0].event.complainant.identified  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        (
            {"capacity": "client", "client_age_band": "under_12"},
            "body.complainant.client_age_band",
            "under_minimum_age",
        ),
        ({"raised_with": "director"}, "body.raised_with", "ladder_one_by_one"),
        ({"raised_with": "complaints_committee"}, "body.raised_with", "ladder_unknown_step"),
        ({"capacity": "surviving_relative"}, "body.client_deceased", "surviving_relative_without_death"),
        ({"capacity": "authorised_person"}, "body.written_authorisation", "authorisation_not_in_writing"),
        ({"website": "http://spam.example"}, "body.website", "honeypot"),
    ],
)
async def test_a_rule_refuses_with_a_typed_problem_and_writes_nothing(
    intake: Intake, changes: dict[str, Any], field: str, rule: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    answer = await file(intake, complaint(**changes))
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    error = answer.json()["errors"][0]
    assert (error["field"], error["rule"]) == (field, rule)
    assert await intake.all_events() == []
    assert MARKER not in caplog.text and MARKER not in answer.text


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"description": "x" * 10_001}, "body.description"),
        ({"name": "a\nb"}, "body.name"),
        ({"email": "a@x.nl, b@y.nl"}, "body.email"),
        ({"anonymous": True}, "body.anonymous"),
        ({"capacity": "neighbour"}, "body.capacity"),
        ({"unknown": 1}, "body.unknown"),
        ({"website": "w" * 201}, "body.website"),
    ],
)
async def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(
    intake: Intake, changes: dict[str, Any], field: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    answer = await file(intake, complaint(**changes))
    assert answer.status_code == 422, answer.text
    assert field in [e["field"] for e in answer.json()["errors"]]
    assert await intake.all_events() == []
    assert MARKER not in caplog.text


async def test_an_unknown_organisation_is_404(intake: Intake) -> None:
    answer = await file(intake, complaint(), tenant="nobody")
    assert answer.status_code == 404
    assert await intake.all_events() == []


async def test_filings_are_limited_per_address_and_overall(intake: Intake) -> None:
    way_in = intake.app.state.public
    object.__setattr__(way_in, "per_address", Limit("test-address", "2/hour"))
    object.__setattr__(way_in, "overall", Limit("test-overall", "3/hour"))
    bad = complaint(raised_with="director")  # counted although refused: the limit comes first
    assert (await file(intake, bad)).status_code == 422
    assert (await file(intake, complaint())).status_code == 201
    limited = await file(intake, complaint())
    assert limited.status_code == 429
    assert limited.headers["content-type"] == "application/problem+json"
    assert int(limited.headers["Retry-After"]) >= 1
    other = {"X-Forwarded-For": "irrelevant"}  # the address is the connection's, not a header
    assert (
        await intake.client.post(
            "/v1/public/tenants/so-trainingsbureau/complaints", json=complaint(), headers=other
        )
    ).status_code == 429
    way_in.limiter.clear()
    object.__setattr__(way_in, "per_address", Limit("test-address", "100/hour"))
    assert (await file(intake, complaint())).status_code == 201
    assert (await file(intake, complaint())).status_code == 201
    assert (await file(intake, complaint())).status_code == 201
    assert (await file(intake, complaint())).status_code == 429  # overall: 3 per hour
    assert len({e.stream for e in await intake.all_events()}) == 4


async def test_the_form_facts_say_who_may_complain_and_at_which_steps(intake: Intake) -> None:
    answer = await intake.client.get("/v1/public/tenants/so-trainingsbureau/complaint-form")
    assert answer.status_code == 200
    facts = answer.json()
    assert facts["child_min_age_alone"] == 12 and facts["order"] == "one_by_one"
    assert set(facts["complainants"]) == {
        "client",
        "legal_representative",
        "authorised_person",
        "surviving_relative",
    }
    assert [(s["step"], s["may_start"]) for s in facts["ladder"]] == [
        ("care_worker", True),
        ("manager", False),
        ("complaints_officer", False),
        ("director", False),
    ]
    chooses = (await intake.client.get("/v1/public/tenants/save-veilig-thuis-utrecht/complaint-form")).json()
    assert chooses["order"] == "client_chooses" and all(s["may_start"] for s in chooses["ladder"])
