"""The privacy officer reads the access log over HTTP, per case and per person; nobody else does."""

from __future__ import annotations

from uuid import uuid4

import pytest
from staff_helpers import OTHER_PROVIDER, Staff

from contracts.vocabulary import Role
from klachtspoor.accesslog import AccessOutcome, AccessRecord
from tests.accesslog_examples import AT, FILE_ROUTE


def _read(staff: Staff, case_id: object, subject: str, **changes: object) -> AccessRecord:
    return AccessRecord.of(
        **{
            "record_id": uuid4(),
            "tenant": staff.tenant,
            "case_id": case_id,
            "subject": subject,
            "role": Role.COMPLAINTS_OFFICER,
            "shown": ("complainant", "description"),
            "at": AT,
            "channel": FILE_ROUTE,
            "outcome": AccessOutcome.SERVED,
            "status": 200,
        }
        | changes
    )


async def test_the_privacy_officer_sees_who_read_a_case_and_what_a_person_read(staff: Staff) -> None:
    case_id, other_case = uuid4(), uuid4()
    reader = f"staff-{uuid4().hex[:8]}"
    first = _read(staff, case_id, reader)
    refused = _read(
        staff, case_id, "staff-other", outcome="refused", status=403, shown=(), role=Role.CARE_WORKER
    )
    elsewhere = _read(staff, other_case, reader, shown=("judgement.reasoning",))
    for entry in (first, refused, elsewhere):
        await staff.access_log.record(entry)
    headers = {"Authorization": f"Bearer {staff.token('privacy_officer')}"}

    by_case = await staff.client.get(
        f"/v1/tenants/{staff.tenant}/access-log/cases/{case_id}", headers=headers
    )
    by_person = await staff.client.get(
        f"/v1/tenants/{staff.tenant}/access-log/people/{reader}", headers=headers
    )

    assert by_case.status_code == 200, by_case.text
    assert [AccessRecord.model_validate(r) for r in by_case.json()["records"]] == [first, refused]
    assert by_person.status_code == 200, by_person.text
    assert [AccessRecord.model_validate(r) for r in by_person.json()["records"]] == [first, elsewhere]


@pytest.mark.parametrize("role", [r.value for r in Role if r is not Role.PRIVACY_OFFICER])
async def test_no_other_role_reads_the_access_log(staff: Staff, role: str) -> None:
    headers = {"Authorization": f"Bearer {staff.token(role)}"}
    response = await staff.client.get(
        f"/v1/tenants/{staff.tenant}/access-log/cases/{uuid4()}", headers=headers
    )
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"


async def test_another_tenants_privacy_officer_learns_nothing(staff: Staff) -> None:
    headers = {"Authorization": f"Bearer {staff.token('privacy_officer', tenants=[OTHER_PROVIDER])}"}
    response = await staff.client.get(
        f"/v1/tenants/{staff.tenant}/access-log/people/staff-17", headers=headers
    )
    assert response.status_code == 404, response.text


async def test_a_subject_that_is_not_an_opaque_id_is_a_typed_422(staff: Staff) -> None:
    headers = {"Authorization": f"Bearer {staff.token('privacy_officer')}"}
    response = await staff.client.get(
        f"/v1/tenants/{staff.tenant}/access-log/people/jan%40example.nl%20x", headers=headers
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "path.subject"
