"""An event store that is down answers 503 problem+json whose detail names no host or database (the
cause goes to the log). The test closes the module's store, so it has a module (and app) of its own."""

from __future__ import annotations

from staff_helpers import Staff

from klachtspoor.http.problems import PROBLEM_JSON


async def test_an_event_store_outage_answers_503_problem_json_naming_no_host(staff: Staff) -> None:
    case_id = await staff.open_case()
    token = staff.token("complaints_officer")
    assert (await staff.deadlines(case_id, token)).status_code == 200
    await staff.repository.store.close()

    read = await staff.deadlines(case_id, token)
    contact = {"channel": "phone"}
    command = await staff.command(case_id, "record-first-contact", contact, token, key="outage-1")

    for response in (read, command):
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == PROBLEM_JSON
        problem = response.json()
        assert problem["title"] == "Service unavailable"
        for internal in ("127.0.0.1", "localhost", "ks_staff", "PostgreSQL", "closed"):
            assert internal not in problem["detail"]
