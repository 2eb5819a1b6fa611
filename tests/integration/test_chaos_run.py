"""``klachtspoor chaos run``, short: 150 signals under every fault (outages of a few seconds), on a stack
of its own with embedded servers, run as the command an operator runs. Every check of the table must
pass, the events it poisoned must be parked (by escalation's consumer and reporting's projection among
others), and the run must stop by itself (a hung run is killed by the subprocess timeout, and fails)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from klachtspoor_devtools.devstack.stack import DATA_DIR_VAR, klachtspoor_command

CHECKS = (
    "every fault applied, undone, drained",
    "every accepted submission has its case",
    "every case has exactly its letters, none twice",
    "every warning and breach at most once per term and due date",
    "every projection equals a fresh rebuild",
    "every chain verifies",
    "nothing is parked that was not deliberately poisoned",
    "the access log holds a record for every read",
)
SHORT = [
    *("--signals", "150", "--rate", "10", "--seed", "20261203"),
    *("--nats-down", "2", "--smtp-refusal", "2", "--pause", "2.5", "--ack-wait", "1.5", "--settle", "0.8"),
    *("--drain", "120", "--public-every", "5", "--read-every", "3"),
]
RUN_WITHIN = 420.0
"""Only a hung run gets near this: the command bounds every stage itself."""


@pytest.mark.slow
def test_a_short_fault_run_passes_every_check(tmp_path: Path) -> None:
    environ = {name: value for name, value in os.environ.items() if not name.startswith("KLACHTSPOOR_")}
    environ[DATA_DIR_VAR] = str(tmp_path)
    ran = subprocess.run(
        [*klachtspoor_command(), "chaos", "run", *SHORT, "--no-keep"],
        env={**environ, "COLUMNS": "240"},
        capture_output=True,
        text=True,
        timeout=RUN_WITHIN,
        check=False,
    )
    report = f"exit {ran.returncode}\n{ran.stdout}\n{ran.stderr[-4000:]}"
    assert "seed 20261203: 9 faults within 15 s of load" in ran.stderr, report
    verdicts = dict(
        re.findall(r"│ (every [^│]+?|nothing [^│]+?|the access log [^│]+?)\s+│ (pass|FAIL)", ran.stdout)
    )
    assert verdicts == dict.fromkeys(CHECKS, "pass"), report
    late = re.search(r"each of the (\d+) late complaints' terms warned", ran.stdout)
    assert late is not None and int(late.group(1)) >= 5, f"terms fell due under the faults\n{report}"
    flat = re.sub(r"[│\s]+", " ", ran.stdout)  # a detail wrapped over two rows of the table, as one line
    parked = re.search(r"nothing but the (\d+) poisoned events, each parked by ([\w-]+(?:, [\w-]+)*)", flat)
    assert parked is not None and int(parked.group(1)) == 3, f"the poisoned events were parked\n{report}"
    assert {"escalation", "reporting"} <= set(parked.group(2).split(", ")), report
    assert ran.returncode == 0, report
    assert "passed: klachtspoor chaos run --seed 20261203" in ran.stdout
    assert not list(tmp_path.glob("chaos-*")), "the run's data directory was left behind"
