"""Reads of a case file that are refused: an unknown case, another tenant's, a role that never reads the
file. Each answers its documented status as problem+json and writes one thing only, the access-log record
of the refused read. A read whose record cannot be written is refused with 503, never served unlogged.
An erased case is served with its placeholders. A confidant reads only the case it is the confidant of,
and only while the client's consent holds (403 naming the rule otherwise)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from uuid import UUID, uuid4

import httpx
import pytest
from staff_helpers import CONFIDANT_ORG, OTHER_CONFIDANT_ORG, OTHER_PROVIDER, Staff

from contracts.events import NotificationRequested, NotificationSent, PersonalDataErased
from contracts.personal import DEFAULT_MASK
from contracts.vocabulary import ErasureReason, NotificationChannel, NotificationKind, Recipient, Role
from klachtspoor.accesslog import AccessLogUnavailable, AccessOutcome, AccessRecord
from klachtspoor.accesslog.memory import InMemoryAccessLog
from klachtspoor.http.problems import PROBLEM_JSON
from services.escalation.domain.casefile import CASE_FILE_TABLE
from services.escalation.entrypoints.casefile_route import CHANNEL

NEVER_READ = sorted((role for role, names in CASE_FILE_TABLE.items() if not names), key=lambda r: r.value)


async def _refused_once(staff: Staff, case_id: UUID, status: int, role: Role | None) -> AccessRecord:
    """The read's only trace: one refused record with its status; the case's stream is as it was."""
    records = await staff.access_log.for_case(staff.tenant, case_id)
    assert len(records) == 1, records
    record = records[0]
    assert (record.outcome, record.status, record.shown, record.channel) == (
        AccessOutcome.REFUSED,
        status,
        (),
        CHANNEL,
    )
    assert record.role is role
    return record


def _problem(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON


async def test_an_unknown_case_is_404_and_only_the_refusal_is_written(staff: Staff) -> None:
    unknown = uuid4()
    response = await staff.case_file(unknown, staff.token("complaints_officer"))
    _problem(response, 404)
    await _refused_once(staff, unknown, 404, Role.COMPLAINTS_OFFICER)
    assert (await staff.load(unknown)).version is None


async def test_a_token_of_another_tenant_is_404_and_only_the_refusal_is_written(staff: Staff) -> None:
    case_id = await staff.open_case()
    before = await staff.types(case_id)
    elsewhere = staff.token("complaints_officer", tenants=[OTHER_PROVIDER], subject="staff-elsewhere")
    response = await staff.case_file(case_id, elsewhere)
    _problem(response, 404)
    record = await _refused_once(staff, case_id, 404, None)
    assert record.subject == "staff-elsewhere"
    assert await staff.types(case_id) == before


async def test_a_case_asked_for_under_another_tenant_is_not_found_there(staff: Staff) -> None:
    """The other provider's officer asks for this tenant's case under its own tenant: no such case there."""
    case_id = await staff.open_case()
    theirs = staff.token("complaints_officer", tenants=[OTHER_PROVIDER])
    response = await staff.case_file(case_id, theirs, tenant=OTHER_PROVIDER)
    _problem(response, 404)
    records = await staff.access_log.for_case(OTHER_PROVIDER, case_id)
    assert [(r.outcome, r.status) for r in records] == [(AccessOutcome.REFUSED, 404)]
    assert await staff.access_log.for_case(staff.tenant, case_id) == []


@pytest.mark.parametrize("role", NEVER_READ, ids=lambda r: r.value)
async def test_a_role_that_never_reads_the_file_is_403_and_only_the_refusal_is_written(
    staff: Staff, role: Role
) -> None:
    case_id = await staff.open_case()
    before = await staff.types(case_id)
    response = await staff.case_file(case_id, staff.token(role.value))
    _problem(response, 403)
    await _refused_once(staff, case_id, 403, role)
    assert await staff.types(case_id) == before


class BrokenLog(InMemoryAccessLog):
    """An access log that cannot be written."""

    async def _append(self, entry: AccessRecord) -> None:
        raise AccessLogUnavailable("the access log is down")


@pytest.fixture
async def broken_log(staff: Staff) -> AsyncIterator[None]:
    assert staff.app is not None
    api = staff.app.state.staff
    staff.app.state.staff = replace(api, access_log=BrokenLog())
    try:
        yield
    finally:
        staff.app.state.staff = api


async def test_a_read_that_cannot_be_logged_is_503_and_shows_nothing(staff: Staff, broken_log: None) -> None:
    case_id = await staff.open_case()
    response = await staff.case_file(case_id, staff.token("complaints_officer"))
    _problem(response, 503)
    assert "Mijn mentor" not in response.text
    assert "Voorbeeld" not in response.text


async def test_an_erased_case_shows_its_placeholders(staff: Staff) -> None:
    """Also in the text of a letter sent before the erasure, rendered again from the masked events."""
    case_id = await staff.open_case()
    letter = uuid4()
    await staff.append(
        case_id,
        NotificationRequested(
            notification_id=letter,
            kind=NotificationKind.ACKNOWLEDGEMENT,
            recipient=Recipient.COMPLAINANT,
            channel=NotificationChannel.EMAIL,
        ),
        NotificationSent(notification_id=letter, channel=NotificationChannel.EMAIL, attempt=1),
    )
    officer = staff.token("complaints_officer")
    before = (await staff.case_file(case_id, officer)).json()
    assert before["complainant"]["name"] == "Voorbeeld Cliënt"
    assert "Voorbeeld Cliënt" in before["letters"][0]["text"]
    await staff.repository.codec.keyring.erase_case(staff.tenant, str(case_id), actor="privacy-1")
    await staff.append(case_id, PersonalDataErased(reason=ErasureReason.ERASURE_REQUEST))

    response = await staff.case_file(case_id, officer)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["erased"] is True
    assert (body["complainant"]["name"], body["complainant"]["email"]) == (DEFAULT_MASK, DEFAULT_MASK)
    assert body["complainant"]["phone"] is None  # it was never given: null stays null
    assert body["description"]["signal"] == DEFAULT_MASK
    assert body["complainant"]["capacity"] == "client"
    assert [s["kind"] for s in body["steps"]][-1] == "PersonalDataErased"
    assert DEFAULT_MASK in body["letters"][0]["text"]
    assert "Voorbeeld" not in response.text


async def _give_consent(staff: Staff, case_id: UUID, confidant: str) -> str:
    """The client's written consent that the confidant contacts the organisation: its id."""
    consent_id = str(uuid4())
    body = {"consent_id": consent_id, "scope": "confidant_contacts_organisation", "given_by": "client"}
    given = await staff.command(case_id, "give-consent", {**body, "written": True}, confidant)
    assert given.status_code == 200, given.text
    return consent_id


async def test_the_cases_confidant_reads_only_while_the_clients_consent_holds(staff: Staff) -> None:
    """Under the demo procedure (its confidant is the LSR's): 403 ``consent_required`` before the consent,
    200 in the confidant's row while it holds, 403 again once withdrawn; each read in the access log."""
    case_id = await staff.open_case(policy="demo")
    confidant = staff.token("confidant", tenants=[staff.tenant, OTHER_CONFIDANT_ORG], subject="vp-0042")

    before = await staff.case_file(case_id, confidant)
    _problem(before, 403)
    assert before.json()["rule"] == "consent_required"
    await _refused_once(staff, case_id, 403, Role.CONFIDANT)

    consent_id = await _give_consent(staff, case_id, confidant)
    served = await staff.case_file(case_id, confidant)
    assert served.status_code == 200, served.text
    assert served.json()["read_as"] == "confidant"

    withdraw = {"consent_id": consent_id}
    taken_back = await staff.command(case_id, "withdraw-consent", withdraw, confidant)
    assert taken_back.status_code == 200, taken_back.text
    after = await staff.case_file(case_id, confidant)
    _problem(after, 403)
    assert after.json()["rule"] == "consent_required"
    outcomes = [(r.outcome, r.status) for r in await staff.access_log.for_case(staff.tenant, case_id)]
    refusal, service = (AccessOutcome.REFUSED, 403), (AccessOutcome.SERVED, 200)
    assert outcomes == [refusal, service, refusal]


@pytest.mark.parametrize(
    ("tenants", "rule"),
    [
        (["{tenant}"], "confidant_independent"),
        (["{tenant}", CONFIDANT_ORG], "confidant_organisation_not_named"),
    ],
    ids=["the provider's own staff", "another confidant organisation"],
)
async def test_a_confidant_who_is_not_the_cases_reads_nothing(
    staff: Staff, tenants: list[str], rule: str
) -> None:
    case_id = await staff.open_case(policy="demo")
    named = staff.token("confidant", tenants=[staff.tenant, OTHER_CONFIDANT_ORG], subject="vp-0042")
    await _give_consent(staff, case_id, named)
    other = staff.token("confidant", tenants=[t.format(tenant=staff.tenant) for t in tenants], subject="vp-9")

    response = await staff.case_file(case_id, other)
    _problem(response, 403)
    assert response.json()["rule"] == rule
    assert "Mijn mentor" not in response.text and "Voorbeeld" not in response.text
