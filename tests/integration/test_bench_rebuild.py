"""``klachtspoor bench rebuild`` with tiny numbers: the figures are not judged (tests never assert on
time); what is checked is that every registered projection was rebuilt each round from the log it wrote,
with its wall and CPU times per round, the per-stream ones in two processes, and that it leaves no
database behind."""

from __future__ import annotations

from klachtspoor.projections import registered
from klachtspoor_devtools.bench.rebuild import run_rebuild_bench
from tests.integration.databases import database_names


async def test_every_projection_is_rebuilt_each_round_with_its_cpu_time(postgres_url: str) -> None:
    before = await database_names(postgres_url)
    rounds_done: list[int] = []
    result = await run_rebuild_bench(postgres_url, 300, 2, rounds_done.append, processes=2)
    assert rounds_done == [1, 2]
    written = result["events"]
    assert isinstance(written, int) and written >= 300
    projections = result["projections"]
    assert isinstance(projections, dict) and set(projections) == set(registered())
    for name, figures in projections.items():
        assert 0 < figures["events_read"] <= written, name
        assert len(figures["per_round_seconds"]) == len(figures["per_round_cpu_seconds"]) == 2, name
        assert all(cpu >= 0 for cpu in figures["per_round_cpu_seconds"]), name
        assert isinstance(figures["median_cpu_seconds"], float), name
    per_stream = {name for name, figures in projections.items() if figures["processes"] == 2}
    assert per_stream == {"reporting", "escalation-timer-index"}  # the others are folded in one process
    left = await database_names(postgres_url) - before
    assert {name for name in left if name.startswith("ks_bench")} == set()
