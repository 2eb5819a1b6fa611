"""``klachtspoor replay`` beside the running app, on its database: ``--json`` is the endpoint's answer, the
table is readable and shows no personal value, and every run leaves its access-log record first."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from uuid import uuid4

from click.testing import Result
from history_given import case_with_a_late_escalation, history, open_now
from staff_helpers import Staff
from typer.testing import CliRunner

from contracts.vocabulary import Role
from klachtspoor.accesslog import AccessOutcome
from klachtspoor.cli.main import app
from klachtspoor.settings import get_settings
from services.escalation.entrypoints.cli_replay import CHANNEL

ACTOR = "audit-cli-0001"


async def replay(env: Mapping[str, str], *args: str) -> Result:
    """The command in a thread (it runs its own event loop), on the given settings."""

    def invoke() -> Result:
        get_settings.cache_clear()
        try:
            return CliRunner().invoke(app, ["replay", *args], env={**env, "COLUMNS": "250"})
        finally:
            get_settings.cache_clear()

    return await asyncio.to_thread(invoke)


async def test_json_is_the_endpoints_answer_for_the_same_moment(staff: Staff) -> None:
    case_id, conversation_recorded = await case_with_a_late_escalation(staff)
    token = staff.token(Role.AUDITOR.value)
    escalation_recorded = (await staff.load(case_id)).events[-1].recorded_at
    assert escalation_recorded is not None
    for moment in (conversation_recorded.isoformat(), escalation_recorded.isoformat()):
        served = await history(staff, case_id, token, moment)
        assert served.status_code == 200, served.text
        result = await replay(
            staff.env, staff.tenant, str(case_id), "--as-of", moment, "--actor", ACTOR, "--json"
        )
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == served.json()


async def test_the_table_is_readable_and_withholds_personal_values(staff: Staff) -> None:
    case_id, _ = await case_with_a_late_escalation(staff)
    result = await replay(staff.env, staff.tenant, str(case_id), "--actor", ACTOR)
    assert result.exit_code == 0, result.output
    for text in ("Geschiedenis van de zaak", "Tijdlijn", "Naar volgende stap", "laat vastgelegd"):
        assert text in result.stdout
    assert "so-trainingsbureau versie 1" in result.stdout
    assert "complainant.name" in result.stdout and "medewerker" in result.stdout
    for value in ("Voorbeeld Cliënt", "client@example.org", "Mijn mentor luistert niet naar mij."):
        assert value not in result.stdout

    (record,) = await staff.access_log.for_case(staff.tenant, case_id)
    assert (record.subject, record.role, record.channel) == (ACTOR, Role.AUDITOR, CHANNEL)
    assert (record.outcome, record.shown) == (AccessOutcome.SERVED, ("state", "terms", "timeline", "chain"))


async def test_refusals_exit_non_zero_print_nothing_and_are_logged(staff: Staff) -> None:
    case_id = await open_now(staff)
    unknown = uuid4()

    missing = await replay(staff.env, staff.tenant, str(unknown), "--actor", ACTOR)
    assert missing.exit_code == 1 and missing.stdout == ""
    assert f"No case {unknown}" in missing.stderr
    naive = await replay(
        staff.env, staff.tenant, str(case_id), "--as-of", "2026-03-05T10:00", "--actor", ACTOR
    )
    assert naive.exit_code == 2 and naive.stdout == ""
    assert "--as-of" in naive.stderr
    early = await replay(
        staff.env, staff.tenant, str(case_id), "--as-of", "2020-01-01T00:00:00Z", "--actor", ACTOR
    )
    assert early.exit_code == 2 and "before the case's first event" in early.stderr

    (not_found,) = await staff.access_log.for_case(staff.tenant, unknown)
    assert (not_found.outcome, not_found.status, not_found.channel) == (AccessOutcome.REFUSED, 404, CHANNEL)
    assert [(r.outcome, r.status) for r in await staff.access_log.for_case(staff.tenant, case_id)] == [
        (AccessOutcome.REFUSED, 422),
        (AccessOutcome.REFUSED, 422),
    ]


async def test_without_an_access_log_nothing_is_shown(staff: Staff) -> None:
    case_id = await open_now(staff)
    down = {**staff.env, "KLACHTSPOOR_DATABASE_URL": "postgresql://postgres@127.0.0.1:9/postgres"}
    result = await replay(down, staff.tenant, str(case_id), "--actor", ACTOR, "--json")
    assert result.exit_code == 1 and result.stdout == ""
    assert "Access log unavailable" in result.stderr


async def test_the_actor_is_required_and_must_be_an_opaque_id(staff: Staff) -> None:
    case_id = await open_now(staff)
    missing = await replay(staff.env, staff.tenant, str(case_id))
    assert missing.exit_code == 2
    bad = await replay(staff.env, staff.tenant, str(case_id), "--actor", "jan@example.nl")
    assert bad.exit_code == 2
    assert await staff.access_log.for_case(staff.tenant, case_id) == []
