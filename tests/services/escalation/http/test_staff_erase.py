"""``POST …/commands/erase``: the privacy officer erases a case (the key is shredded, the reason and the
request's register number recorded); every other role is refused, another tenant's case is not found, a
second erasure is 410, an early retention erasure 409, and a retry with the same key appends nothing."""

from __future__ import annotations

from datetime import date, timedelta

from staff_helpers import OTHER_PROVIDER, Staff, on

from contracts.events import PersonalDataErased, SignalReceived
from contracts.vocabulary import ErasureReason, Role
from services.escalation.entrypoints import roles

REQUEST = {"reason": "erasure_request", "request_reference": "AVG-2026-0042"}


async def test_the_privacy_officer_erases_a_case_for_good(staff: Staff) -> None:
    case_id = await staff.open_case()
    token = staff.token("privacy_officer", subject="fg-0001")

    response = await staff.command(case_id, "erase", REQUEST, token)

    assert response.status_code == 200, response.text
    assert response.json()["appended"] == ["PersonalDataErased"]
    case = await staff.load(case_id)
    last = case.events[-1]
    assert last.event == PersonalDataErased(
        reason=ErasureReason.ERASURE_REQUEST, request_reference="AVG-2026-0042"
    )
    assert (last.actor.id, last.actor.role) == ("fg-0001", Role.PRIVACY_OFFICER)
    [signal] = [e.event for e in case.events if isinstance(e.event, SignalReceived)]
    assert (signal.complainant.name, signal.description) == ("[verwijderd]", "[verwijderd]")
    again = await staff.command(case_id, "erase", REQUEST, token)
    assert again.status_code == 410
    assert again.headers["content-type"].startswith("application/problem+json")
    assert again.json()["rule"] == "case_erased"
    closing = await staff.command(case_id, "withdraw", {}, staff.token("complaints_officer"))
    assert closing.status_code == 410, "an erased case takes no commands"


async def test_only_the_privacy_officer_may_erase(staff: Staff) -> None:
    case_id = await staff.open_case()
    assert set(roles.ERASE) == {Role.PRIVACY_OFFICER}
    for role in Role:
        if role is Role.PRIVACY_OFFICER:
            continue
        response = await staff.command(case_id, "erase", REQUEST, staff.token(role.value))
        assert response.status_code == 403, (role, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    assert "PersonalDataErased" not in await staff.types(case_id)


async def test_another_tenants_case_is_not_found(staff: Staff) -> None:
    case_id = await staff.open_case()
    theirs = staff.token("privacy_officer", tenants=[OTHER_PROVIDER])
    response = await staff.command(case_id, "erase", REQUEST, theirs)
    assert response.status_code == 404
    elsewhere = await staff.command(case_id, "erase", REQUEST, theirs, tenant=OTHER_PROVIDER)
    assert elsewhere.status_code == 404, elsewhere.text
    assert elsewhere.headers["content-type"].startswith("application/problem+json")
    assert "PersonalDataErased" not in await staff.types(case_id)


async def test_retention_expired_is_accepted_only_after_the_retention_term(staff: Staff) -> None:
    opened_on = date(2026, 3, 5)
    staff.clock.now = on(opened_on)
    case_id = await staff.open_case()
    await staff.as_role(case_id, "withdraw", {}, "complaints_officer")  # starts the 2-year retention term
    token = staff.token("privacy_officer")
    retention = {"reason": "retention_expired"}

    early = await staff.command(case_id, "erase", retention, token)
    assert early.status_code == 409, early.text
    assert early.json()["rule"] == "retention_not_ended"
    staff.clock.now = on(date(2028, 3, 5) + timedelta(days=1))
    try:
        late = await staff.command(case_id, "erase", retention, token)
    finally:
        staff.clock.now = on(opened_on)
    assert late.status_code == 200, late.text
    assert (await staff.load(case_id)).events[-1].event == PersonalDataErased(
        reason=ErasureReason.RETENTION_EXPIRED
    )


async def test_a_retry_with_the_same_key_appends_once(staff: Staff) -> None:
    case_id = await staff.open_case()
    token = staff.token("privacy_officer")
    first = await staff.command(case_id, "erase", REQUEST, token, key="erase-1")
    again = await staff.command(case_id, "erase", REQUEST, token, key="erase-1")
    assert (first.status_code, again.status_code) == (200, 200), again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["version"] == first.json()["version"]
    other = await staff.command(
        case_id, "erase", {"reason": "erasure_request", "request_reference": "AVG-9"}, token, key="erase-1"
    )
    assert other.status_code == 422
    assert (await staff.types(case_id)).count("PersonalDataErased") == 1


async def test_a_bad_reference_is_refused_naming_the_field_never_its_value(staff: Staff) -> None:
    case_id = await staff.open_case()
    token = staff.token("privacy_officer")
    cases = [
        ({"reason": "erasure_request", "request_reference": "Jan Jansen"}, "body.request_reference"),
        ({"reason": "retention_expired", "request_reference": "AVG-1"}, "body"),
        ({"reason": "because"}, "body.reason"),
        ({}, "body.reason"),
    ]
    for body, field in cases:
        response = await staff.command(case_id, "erase", body, token)
        assert response.status_code == 422, (body, response.text)
        assert field in [error["field"] for error in response.json()["errors"]], response.text
        assert "Jan Jansen" not in response.text
    assert "PersonalDataErased" not in await staff.types(case_id)
