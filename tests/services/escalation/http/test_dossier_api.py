"""The complainant's dossier as JSON, without an account (docs/public.md): opened with the receipt code and
the secret; a wrong secret answers exactly as an unknown code; attempts are limited; every read is in the
access log; withdrawing through the dossier appends the withdrawal once; information added, the secret
replaced, the next step asked only where the procedure lets the complainant ask."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from staff_helpers import Staff

from contracts.vocabulary import ComplainantCapacity
from klachtspoor.accesslog import AccessOutcome
from klachtspoor.dossier.secret import hash_secret, new_secret
from klachtspoor.http.problems import PROBLEM_JSON
from klachtspoor.http.ratelimit import Limit
from services.escalation.adapters.dossier_index import DossierReferences

MARKER = "Zq9-aanvulling"


class Filed:
    def __init__(self, case_id: UUID, reference: str, secret: str) -> None:
        self.case_id, self.reference, self.secret = case_id, reference, secret


async def filed(
    staff: Staff, capacity: ComplainantCapacity = ComplainantCapacity.LEGAL_REPRESENTATIVE
) -> Filed:
    """A case as the public way in opens it, once escalation's dossier index knows its reference."""
    secret = new_secret()
    reference = f"KS-2026-{uuid4().int % 10**6:06d}"
    case_id = await staff.open_case(capacity, reference=reference, secret_hash=hash_secret(secret))
    assert staff.app is not None
    access = staff.app.state.dossier.access
    for _ in range(200):
        if await access.lookup(staff.tenant, reference) == case_id:
            return Filed(case_id, reference, secret)
        await asyncio.sleep(0.05)
    raise AssertionError("the dossier index did not pick the reference up")


def path(staff: Staff, rest: str = "") -> str:
    return f"/v1/public/tenants/{staff.tenant}/dossier{rest}"


async def post(staff: Staff, rest: str, body: dict[str, Any], **headers: str) -> httpx.Response:
    return await staff.client.post(path(staff, rest), json=body, headers=headers)


@pytest.fixture(autouse=True)
def fresh_limits(staff: Staff) -> None:
    assert staff.app is not None
    staff.app.state.dossier.limiter.clear()


async def test_the_receipt_code_and_secret_open_the_dossier_and_the_read_is_logged(staff: Staff) -> None:
    case = await filed(staff)
    answer = await post(
        staff, "", {"reference": case.reference.lower(), "secret": case.secret.replace("-", " ")}
    )
    assert answer.status_code == 200, answer.text
    dossier = answer.json()
    assert dossier["reference"] == case.reference
    assert dossier["standing"] == "received"
    assert dossier["step_label"] == "Gesprek met de regiebehandelaar of mentor (klantsignaal)"
    assert dossier["next_step_label"] == "Contact met de leidinggevende van de mentor"
    assert dossier["description"] == "Mijn mentor luistert niet naar mij."
    assert dossier["may_withdraw"] and dossier["may_add_information"] and dossier["may_request"] is None
    assert "secret" not in answer.text.lower().replace("secret_hash", "")
    records = await staff.access_log.for_case(staff.tenant, case.case_id)
    assert len(records) == 1
    record = records[0]
    assert (record.outcome, record.subject, record.role) == (
        AccessOutcome.SERVED,
        "dossier",
        "legal_representative",
    )
    assert record.channel == "POST /v1/public/tenants/{tenant}/dossier"
    assert record.shown == tuple(dossier["shown"]) and "dossier.status" in record.shown


async def test_a_wrong_secret_answers_exactly_as_an_unknown_code(staff: Staff) -> None:
    case = await filed(staff)
    wrong = await post(staff, "", {"reference": case.reference, "secret": new_secret()})
    unknown = await post(staff, "", {"reference": "KS-2026-999999", "secret": case.secret})
    garbage = await post(staff, "", {"reference": case.reference, "secret": "nonsense"})
    assert wrong.status_code == unknown.status_code == garbage.status_code == 404
    assert wrong.content == unknown.content == garbage.content
    assert {k: v for k, v in wrong.headers.items() if k != "date"} == {
        k: v for k, v in unknown.headers.items() if k != "date"
    }
    records = await staff.access_log.for_case(staff.tenant, case.case_id)
    assert [(r.outcome, r.status, r.shown, r.role) for r in records] == [
        (AccessOutcome.REFUSED, 404, (), None)
    ] * 2


async def test_attempts_are_limited_per_receipt_code_known_or_not(staff: Staff) -> None:
    assert staff.app is not None
    state = staff.app.state.dossier
    object.__setattr__(state, "failures_per_code", Limit("test-code", "3/hour"))
    case = await filed(staff)
    for _ in range(3):
        assert (
            await post(staff, "", {"reference": case.reference, "secret": new_secret()})
        ).status_code == 404
        assert (
            await post(staff, "", {"reference": "KS-2026-999998", "secret": new_secret()})
        ).status_code == 404
    locked = await post(staff, "", {"reference": case.reference, "secret": case.secret})
    locked_unknown = await post(staff, "", {"reference": "KS-2026-999998", "secret": case.secret})
    assert locked.status_code == locked_unknown.status_code == 429
    assert locked.content == locked_unknown.content
    assert locked.headers["content-type"] == "application/problem+json" and "Retry-After" in locked.headers
    state.limiter.clear()
    object.__setattr__(state, "per_address", Limit("test-address", "2/hour"))
    assert (await post(staff, "", {"reference": case.reference, "secret": case.secret})).status_code == 200
    assert (await post(staff, "", {"reference": case.reference, "secret": case.secret})).status_code == 200
    assert (await post(staff, "", {"reference": case.reference, "secret": case.secret})).status_code == 429
    object.__setattr__(state, "per_address", Limit("dossier-address", "20/hour"))
    object.__setattr__(state, "failures_per_code", Limit("dossier-code-failures", "5/hour"))


async def test_withdrawing_through_the_dossier_appends_the_withdrawal_once(staff: Staff) -> None:
    case = await filed(staff)
    body = {"reference": case.reference, "secret": case.secret, "reason": "Het is opgelost."}
    first = await post(staff, "/commands/withdraw", body, **{"Idempotency-Key": "w-1"})
    assert first.status_code == 200, first.text
    assert "ComplaintWithdrawn" in first.json()["appended"]
    again = await post(staff, "/commands/withdraw", body, **{"Idempotency-Key": "w-1"})
    assert again.status_code == 200 and again.json()["replayed"] is True
    other = await post(staff, "/commands/withdraw", body)
    assert other.status_code == 409 and other.json()["rule"] == "case_closed"
    loaded = await staff.load(case.case_id)
    withdrawn = [e for e in loaded.events if e.type == "ComplaintWithdrawn"]
    assert len(withdrawn) == 1
    assert (withdrawn[0].actor.id, withdrawn[0].actor.role) == ("dossier", "legal_representative")
    dossier = (await post(staff, "", {"reference": case.reference, "secret": case.secret})).json()
    assert dossier["standing"] == "withdrawn" and not dossier["may_withdraw"]


async def test_bad_input_is_a_422_and_writes_nothing(staff: Staff) -> None:
    case = await filed(staff)
    before = await staff.types(case.case_id)
    for rest, body in [
        ("/commands/withdraw", {"reference": case.reference, "secret": case.secret, "reason": "x" * 2001}),
        ("/commands/add-information", {"reference": case.reference, "secret": case.secret, "text": ""}),
        ("/commands/add-information", {"reference": case.reference, "secret": case.secret}),
        ("", {"reference": case.reference, "secret": case.secret, "extra": 1}),
        ("", {"reference": "K" * 41, "secret": case.secret}),
    ]:
        answer = await post(staff, rest, body)
        assert answer.status_code == 422, (rest, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["errors"]
    assert await staff.types(case.case_id) == before


async def test_information_added_and_the_secret_replaced(staff: Staff) -> None:
    case = await filed(staff)
    key = {"reference": case.reference, "secret": case.secret}
    added = await post(staff, "/commands/add-information", key | {"text": f"Nog iets. {MARKER}"})
    assert added.status_code == 200 and added.json()["appended"] == ["ComplainantInformationAdded"]
    replaced = await post(staff, "/commands/replace-secret", key)
    assert replaced.status_code == 200
    fresh = replaced.json()["secret"]
    assert (await post(staff, "", key)).status_code == 404
    dossier = await post(staff, "", {"reference": case.reference, "secret": fresh})
    assert dossier.status_code == 200
    assert [a["text"] for a in dossier.json()["additions"]] == [f"Nog iets. {MARKER}"]
    assert "dossier.additions" in dossier.json()["shown"]


async def test_the_next_step_is_asked_only_where_the_procedure_lets_the_complainant_ask(staff: Staff) -> None:
    case = await filed(staff)
    key = {"reference": case.reference, "secret": case.secret}
    refused = await post(staff, "/commands/request-next-step", key)
    assert refused.status_code == 409 and refused.json()["rule"] == "no_step_to_ask"
    assert "JudgementRequested" not in await staff.types(case.case_id)


async def test_at_so_the_complainant_asks_the_directors_judgement_in_writing(staff: Staff) -> None:
    case = await filed(staff)
    up = {"to_step": "manager", "reason": "unresolved"}
    await staff.as_role(case.case_id, "escalate", up, "care_worker")
    await staff.as_role(
        case.case_id, "escalate", {"to_step": "complaints_officer", "reason": "unresolved"}, "manager"
    )
    complaint = {
        "filed_with": "complaints_officer",
        "channel": "web_form",
        "received_on": "2026-03-05",
        "written": True,
        "description": "De bemiddeling hielp niet.",
    }
    await staff.as_role(case.case_id, "file-complaint", complaint, "complaints_officer")
    key = {"reference": case.reference, "secret": case.secret}
    dossier = (await post(staff, "", key)).json()
    assert dossier["may_request"] == "director"
    assert dossier["may_request_label"] == "Formeel oordeel van de directeur"
    asked = await post(staff, "/commands/request-next-step", key, **{"Idempotency-Key": "r-1"})
    assert asked.status_code == 200, asked.text
    assert asked.json()["appended"][:2] == ["JudgementRequested", "TermStarted"]
    loaded = await staff.load(case.case_id)
    requested = next(e for e in loaded.events if e.type == "JudgementRequested")
    assert requested.event.written is True  # type: ignore[union-attr]
    assert requested.actor.id == "dossier"
    after = (await post(staff, "", key)).json()
    assert after["standing"] == "judgement_requested" and after["may_request"] is None
    assert any(t["kind"] == "judgement" for t in after["terms"])


async def test_a_receipt_code_looked_up_while_postgresql_is_away_answers_503(
    staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dossier's index has a pool of its own: its driver errors (PostgreSQL starting up after a
    crash, a closed pool) are an unavailable store, 503, never a 500."""
    case = await filed(staff)
    assert staff.app is not None
    away = await DossierReferences.open(staff.env["KLACHTSPOOR_DATABASE_URL"])
    await away.close()
    monkeypatch.setattr(staff.app.state.dossier.access, "lookup", away.case_of)

    response = await post(staff, "", {"reference": case.reference, "secret": case.secret})

    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
