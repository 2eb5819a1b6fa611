"""A store that is down answers 503 problem+json with a detail that names no host, DSN or query."""

from __future__ import annotations

from intake_helpers import Intake, signal_body

from klachtspoor.http.problems import PROBLEM_JSON


async def test_a_key_store_outage_answers_503_problem_json_naming_nothing_internal(intake: Intake) -> None:
    await intake.infra.keys.close()  # every call now fails as the driver fails when the server is gone

    response = await intake.submit(signal_body(), key="outage-1")

    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    problem = response.json()
    assert problem == {
        "type": "about:blank",
        "title": "Service unavailable",
        "status": 503,
        "detail": "A service this request needs is unavailable; retry in a moment",
    }
    database = intake.settings.database_url.rsplit("/", 1)[-1]
    for internal in (database, "127.0.0.1", "localhost", "keystore", "postgres"):
        assert internal not in response.text
