"""``klachtspoor access-log case|person`` against the PostgreSQL access log: a table for people, JSON for
programs, and a clear exit when the log cannot be read."""

from __future__ import annotations

import asyncio
import json

from click.testing import Result
from typer.testing import CliRunner

from contracts.vocabulary import Role
from klachtspoor.accesslog.postgres import PostgresAccessLog
from klachtspoor.cli.main import app
from klachtspoor.settings import get_settings
from tests.accesslog_examples import CASE, OTHER_CASE, TENANT, record, refused


async def _cli(database_url: str, *args: str) -> Result:
    """Invoke the CLI in a thread: it runs its own event loop."""

    def invoke() -> Result:
        get_settings.cache_clear()
        try:
            return CliRunner().invoke(
                app, list(args), env={"KLACHTSPOOR_DATABASE_URL": database_url, "COLUMNS": "250"}
            )
        finally:
            get_settings.cache_clear()

    return await asyncio.to_thread(invoke)


async def test_case_and_person_print_the_records_as_a_table_and_as_json(database_url: str) -> None:
    served = record(0, subject="staff-17", shown=("complainant", "description"))
    denied = refused(1, subject="staff-99", role=Role.CARE_WORKER)
    elsewhere = record(2, subject="staff-17", case_id=OTHER_CASE, channel="cli:replay", status=None)
    log = await PostgresAccessLog.open(database_url)
    try:
        for entry in (served, denied, elsewhere):
            await log.record(entry)
    finally:
        await log.close()

    table = await _cli(database_url, "access-log", "case", TENANT, str(CASE))
    assert table.exit_code == 0, table.output
    assert "staff-17" in table.output and "staff-99" in table.output
    assert "klachtenfunctionaris" in table.output and "geweigerd (403)" in table.output
    assert "complainant, description" in table.output and "cli:replay" not in table.output

    as_json = await _cli(database_url, "access-log", "case", TENANT, str(CASE), "--json")
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.output) == [
        served.model_dump(mode="json"),
        denied.model_dump(mode="json"),
    ]

    person = await _cli(database_url, "access-log", "person", TENANT, "staff-17", "--json")
    assert [r["record_id"] for r in json.loads(person.output)] == [
        str(served.record_id),
        str(elsewhere.record_id),
    ]
    person_table = await _cli(database_url, "access-log", "person", TENANT, "staff-17")
    assert "cli:replay" in person_table.output and str(OTHER_CASE) in person_table.output


async def test_nothing_recorded_is_said_plainly_and_json_is_an_empty_list(database_url: str) -> None:
    nobody = await _cli(database_url, "access-log", "case", TENANT, str(CASE))
    assert nobody.exit_code == 0 and "Niemand heeft zaak" in nobody.output
    nothing = await _cli(database_url, "access-log", "person", TENANT, "staff-1", "--json")
    assert nothing.exit_code == 0 and json.loads(nothing.output) == []


async def test_an_unreachable_log_exits_1_naming_the_outage() -> None:
    result = await _cli("postgresql://postgres@127.0.0.1:9/postgres", "access-log", "case", TENANT, str(CASE))
    assert result.exit_code == 1
    assert "Access log unavailable" in result.output


async def test_a_bad_case_id_is_a_usage_error() -> None:
    result = await _cli("postgresql://postgres@127.0.0.1:9/postgres", "access-log", "case", TENANT, "x")
    assert result.exit_code == 2
