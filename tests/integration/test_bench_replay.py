"""``klachtspoor bench replay`` with tiny numbers: the figures are not judged (tests never assert on time);
what is checked is that it replayed the case it wrote, every event of it, the rounds it says, and that
it leaves no database behind."""

from __future__ import annotations

import asyncio
import json

from typer.testing import CliRunner

from klachtspoor.cli.main import app
from klachtspoor.settings import Settings, get_settings
from klachtspoor_devtools.bench.replay import run_replay_bench
from tests.integration.databases import database_names


async def test_the_bench_replays_every_event_of_its_case_and_drops_its_database(postgres_url: str) -> None:
    before = await database_names(postgres_url)
    rounds_done: list[int] = []
    result = await run_replay_bench(postgres_url, Settings(), events=25, rounds=3, advance=rounds_done.append)
    assert result["events"] == 25 and result["rounds"] == 3
    assert rounds_done == [1, 2, 3]
    assert set(result["replay_ms"]) == {"median", "p95", "min"} and "replay_cpu_ms" in result
    assert set(result["parts_ms"]) == {"read", "chain", "decode", "history"}
    assert result["chain"] == "intact"  # written through the chaining store, as every writer
    left = await database_names(postgres_url) - before
    assert {name for name in left if name.startswith("ks_bench")} == set()


async def test_the_command_prints_its_json(postgres_url: str) -> None:
    def invoke() -> str:
        get_settings.cache_clear()
        try:
            outcome = CliRunner().invoke(
                app,
                ["bench", "replay", "--events", "5", "--rounds", "1", "--json"],
                env={"KLACHTSPOOR_DATABASE_URL": postgres_url},
            )
        finally:
            get_settings.cache_clear()
        assert outcome.exit_code == 0, outcome.output
        return outcome.stdout

    printed = json.loads(await asyncio.to_thread(invoke))
    assert (printed["events"], printed["rounds"], printed["server"]) == (5, 1, "configured")
