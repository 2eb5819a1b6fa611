"""``klachtspoor bench e2e`` at a tiny rate on a real scratch stack (every ``dev up`` process).

Nothing here judges speed (tests never assert on time): what is checked is that the benchmark measured what
it says: each submission answered, each one mail, matched to the right submission, open-loop scheduling,
the stack stopped and its scratch database and directory gone.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
from pathlib import Path

import asyncpg
import pytest
from rich.console import Console

from klachtspoor_devtools.bench.e2e import E2eBench, Step, client
from klachtspoor_devtools.bench.e2e_load import MailLog
from klachtspoor_devtools.bench.e2e_report import table
from klachtspoor_devtools.bench.e2e_stack import BenchStack, start_bench_stack
from klachtspoor_devtools.bench.e2e_summary import STAGES, StepResult
from klachtspoor_devtools.devstack.smtp import DELIVERIES_LOG, read_deliveries
from klachtspoor_devtools.devstack.stack import DATABASE_VAR, NATS_VAR

RATE = 5.0
SECONDS = 2.0
WARMUP = 0.4
DRAIN = 120.0
"""Only a hung stack waits this long for its mails."""


async def _run(stack: BenchStack) -> Step:
    async with client(RATE) as http:
        return await E2eBench(stack, http).step(RATE, SECONDS, warmup=WARMUP, drain=DRAIN)


@pytest.mark.slow
async def test_a_tiny_run_gives_each_submission_exactly_one_mail(postgres_url: str, tmp_path: Path) -> None:
    """The bench's own NATS (another test's messages must not reach its services), the test PostgreSQL
    server with a scratch database the bench makes and drops."""
    environ = {name: value for name, value in os.environ.items() if name != NATS_VAR}
    environ[DATABASE_VAR] = postgres_url
    stack = await asyncio.to_thread(start_bench_stack, environ, tmp_path)
    try:
        step = await _run(stack)
        deliveries = read_deliveries(stack.mail_dir)
    finally:
        await asyncio.to_thread(stack.stop)

    measured, warmed = round(RATE * SECONDS), round(RATE * WARMUP)
    result = step.result
    assert result.submissions == measured == len(step.timed)
    assert (result.errors, result.missing_mails, result.duplicate_mails) == (0, 0, 0)
    assert result.mails == measured
    assert len(deliveries) == measured + warmed and set(deliveries.values()) == {1}
    references = [timed.submission.reference for timed in step.timed]
    assert len(set(references)) == measured and None not in references
    for timed in step.timed:
        submission, mail_latency = timed.submission, timed.mail_latency
        assert timed.mails == 1
        assert mail_latency is not None
        # Not ``http_latency <= mail_latency``: on a busy machine the client may read its answer after
        # the mail already arrived; the two clocks race, which says nothing about the bench.
        assert submission.http_latency > 0 and mail_latency > 0
        assert submission.started >= submission.scheduled - 0.001
    scheduled = [timed.submission.scheduled for timed in step.timed]
    assert all(abs(later - earlier - 1 / RATE) < 1e-3 for earlier, later in itertools.pairwise(scheduled))
    mail = result.mail_ms
    assert 0 < mail["p50"] <= mail["p95"] <= mail["p99"] <= mail["max"]
    assert mail["max"] == pytest.approx(max(1000 * (t.mail_latency or 0) for t in step.timed), abs=0.1)
    assert 0 < result.http_ms["p50"] <= result.http_ms["p99"]
    processes = {"intake", "escalation", "notify", "reporting", "relay", "smtp", "nats", "load generator"}
    assert processes <= set(result.cpu_cores)
    per_submission = result.cpu_ms_per_submission
    assert processes | {"stack total"} <= set(per_submission)
    assert all(per_submission[name] > 0 for name in ("intake", "escalation", "notify"))
    assert per_submission["stack total"] == pytest.approx(
        sum(ms for name, ms in per_submission.items() if name not in ("stack total", "load generator")),
        abs=0.1,
    )
    assert set(result.stages_ms) == set(STAGES)  # every case shows each stage's two ends
    assert all(0 < stage["p50"] <= stage["p99"] <= mail["max"] for stage in result.stages_ms.values())
    assert not stack.data_dir.exists()
    assert stack.scratch_database is not None
    admin = await asyncpg.connect(postgres_url)
    try:
        left = await admin.fetchval(
            "SELECT count(*) FROM pg_database WHERE datname = $1", stack.scratch_database[1]
        )
    finally:
        await admin.close()
    assert left == 0


def test_the_mail_log_reads_each_complete_line_once(tmp_path: Path) -> None:
    """The sink may be mid-line when read: a partial last line waits for the next poll."""
    (tmp_path / "a.eml").write_bytes(b"Subject: Ontvangstbevestiging van uw melding KS-2026-000007\r\n\r\nx")
    line = json.dumps({"message_id": "<a@k>", "file": "a.eml", "accepted_at": 10.5})
    log_file = tmp_path / DELIVERIES_LOG
    log_file.write_text(line + "\n" + line[:20])
    log = MailLog(tmp_path)

    assert log.poll() == 1
    with log_file.open("a") as handle:
        handle.write(line[20:] + "\n")
    assert log.poll() == 1
    assert log.poll() == 0

    assert log.count("KS-2026-000007") == 2
    first = log.first("KS-2026-000007")
    assert first is not None and first.accepted_at == 10.5 and first.message_id == "<a@k>"


def _result(**changes: object) -> StepResult:
    figures: dict[str, object] = {
        "rate": 100.0,
        "duration": 10.0,
        "submissions": 1000,
        "errors": 0,
        "error_kinds": {},
        "mails": 1000,
        "missing_mails": 0,
        "duplicate_mails": 0,
        "mail_ms": {"p50": 50.0, "p95": 80.0, "p99": 120.0, "max": 300.0},
        "http_ms": {"p50": 10.0, "p99": 30.0, "max": 40.0},
        "achieved_rate": 100.0,
        "mail_rate": 99.0,
        "generator_lag_max_ms": 2.0,
        "backlog_mid": 12,
        "backlog_end": 14,
        "cpu_cores": {},
        "cpu_ms_per_submission": {},
    }
    return StepResult.model_validate(figures | changes)


def test_a_step_passes_only_with_every_mail_no_error_p99_in_bound_and_a_bounded_backlog() -> None:
    assert _result().passed(250.0)
    assert not _result(mail_ms={"p50": 50.0, "p95": 80.0, "p99": 251.0, "max": 300.0}).passed(250.0)
    assert not _result(errors=1).passed(250.0)
    assert not _result(missing_mails=1).passed(250.0)
    assert not _result(backlog_end=27).passed(250.0)
    assert _result(backlog_end=26).passed(250.0)


def test_the_table_shows_each_step_and_whether_it_passed() -> None:
    passed, failed = _result(), _result(rate=200.0, missing_mails=3)
    result = {"max_rate": 100.0, "p99_bound_ms": 250.0, "steps": [passed.model_dump(), failed.model_dump()]}
    console = Console(width=200, record=True)

    console.print(table(result))

    text = console.export_text()
    assert "highest passed rate: 100.0/s" in text
    rows = [line for line in text.splitlines() if line.startswith("│")]
    assert len(rows) == 2
    assert "50 / 80 / 120 / 300" in rows[0] and rows[0].rstrip("│ ").endswith("yes")
    cells = [cell.strip() for cell in rows[1].split("│")[1:-1]]
    assert cells[0] == "200" and cells[5] == "3/0" and cells[-1] == "no"
