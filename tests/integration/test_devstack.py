"""The embedded dev stack against the real servers it starts (never the configured ones).

Covers: asyncpg and JetStream round trips, data kept across restarts, a killed launcher and a
SIGKILLed postmaster, concurrent and killed test runs, and ``klachtspoor dev up`` as a subprocess.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import nats
import pytest

from klachtspoor_devtools.devstack.errors import DataDirInUseError
from klachtspoor_devtools.devstack.nats import EmbeddedNats
from klachtspoor_devtools.devstack.postgres import EmbeddedPostgres
from klachtspoor_devtools.devstack.process import free_port, pid_alive
from klachtspoor_devtools.devstack.supervisor import ChildExit, ProcessSpec, Supervisor
from tests.rundir import RunDirectory, reap_stale

KLACHTSPOOR = Path(sys.executable).parent / "klachtspoor"
REPO = Path(__file__).resolve().parents[2]

# Starts both servers (in a fresh run directory with "run-dir"), prints where, then waits to be killed.
LAUNCHER = """
import json, sys, time
from pathlib import Path
from klachtspoor_devtools.devstack.nats import EmbeddedNats
from klachtspoor_devtools.devstack.postgres import EmbeddedPostgres
from tests.rundir import RunDirectory

target = Path(sys.argv[1])
if sys.argv[2] == "run-dir":
    claim = RunDirectory(target)  # kept referenced: its lock lives as long as this process
    target = claim.__enter__()
pg, bus = EmbeddedPostgres(target / "postgres"), EmbeddedNats(target / "nats")
info = {"dir": str(target), "postgres": pg.start(), "postgres_pid": pg.pid}
info |= {"nats": bus.start(), "nats_pid": bus.pid}
print(json.dumps(info), flush=True)
time.sleep(600)
"""


@pytest.fixture
def launcher() -> Iterator[list[subprocess.Popen[str]]]:
    """Helper processes of a test; whatever they leave running is cleaned up by the test itself."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        process.kill()
        process.wait()


def launch(started: list[subprocess.Popen[str]], target: Path, mode: str) -> dict[str, str | int]:
    process = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, str(target), mode],
        cwd=REPO,  # the launcher imports tests.rundir from the repository
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    started.append(process)
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line, f"launcher failed: {process.stderr.read() if process.stderr else ''}"
    info: dict[str, str | int] = json.loads(line)
    return info


def kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait()


async def test_servers_accept_clients_and_keep_data_across_restart(tmp_path: Path) -> None:
    postgres = EmbeddedPostgres(tmp_path / "postgres", durable=False)
    bus = EmbeddedNats(tmp_path / "nats")
    url, nats_url = postgres.start(), bus.start()
    try:
        assert url.startswith("postgresql://klachtspoor@127.0.0.1:")
        assert nats_url.startswith("nats://127.0.0.1:")
        connection = await asyncpg.connect(url)
        try:
            assert await connection.fetchval("SELECT rolcreatedb FROM pg_roles WHERE rolname = current_user")
            assert await connection.fetchval("SHOW fsync") == "off"
            assert int(await connection.fetchval("SHOW max_connections")) >= 200
            await connection.execute("CREATE TABLE kept (word text)")
            await connection.execute("INSERT INTO kept VALUES ('klacht')")
            await connection.execute('CREATE DATABASE "scratch"')
        finally:
            await connection.close()
        client = await nats.connect(nats_url)
        try:
            stream = client.jetstream()
            await stream.add_stream(name="DEVSTACK", subjects=["devstack.>"])
            ack = await stream.publish("devstack.signal", b"signaal")
            assert (await stream.get_msg("DEVSTACK", ack.seq)).data == b"signaal"
        finally:
            await client.close()
    finally:
        bus.stop()
        postgres.stop()
    assert postgres.running_url() is None and bus.running_url() is None

    url, nats_url = postgres.start(), bus.start()
    try:
        connection = await asyncpg.connect(url)
        try:
            assert await connection.fetch("SELECT word FROM kept") == [("klacht",)]
        finally:
            await connection.close()
        client = await nats.connect(nats_url)
        try:
            message = await client.jetstream().get_msg("DEVSTACK", ack.seq)
            assert message.data == b"signaal"
        finally:
            await client.close()
    finally:
        bus.stop()
        postgres.stop()


async def test_killed_launcher_and_killed_postmaster_do_not_block_the_next_start(
    tmp_path: Path, launcher: list[subprocess.Popen[str]]
) -> None:
    info = launch(launcher, tmp_path, "plain")
    with pytest.raises(DataDirInUseError, match=str(tmp_path / "postgres")):
        EmbeddedPostgres(tmp_path / "postgres").start()
    connection = await asyncpg.connect(str(info["postgres"]))
    try:
        await connection.execute("CREATE TABLE kept AS SELECT 'bezwaar'::text AS word")
    finally:
        await connection.close()

    os.kill(int(info["postgres_pid"]), signal.SIGKILL)  # a crashed postmaster: its pid file stays
    kill(launcher[0])  # a killed launcher: NATS keeps running without an owner
    assert (tmp_path / "postgres" / "pgdata" / "postmaster.pid").exists()
    assert pid_alive(int(info["nats_pid"]))

    postgres, bus = EmbeddedPostgres(tmp_path / "postgres"), EmbeddedNats(tmp_path / "nats")
    try:
        connection = await asyncpg.connect(postgres.start())
        try:
            assert await connection.fetchval("SELECT word FROM kept") == "bezwaar"
        finally:
            await connection.close()
        bus.start()
        assert not pid_alive(int(info["nats_pid"]))
        assert bus.pid != info["nats_pid"]
    finally:
        bus.stop()
        postgres.stop()


def test_run_directories_of_live_runs_are_kept_and_those_of_killed_runs_reaped(
    tmp_path: Path, launcher: list[subprocess.Popen[str]]
) -> None:
    base = tmp_path / "test"
    with RunDirectory(base) as mine:
        info = launch(launcher, base, "run-dir")  # a concurrent run: claiming must not reap ours
        theirs = Path(str(info["dir"]))
        assert mine.exists() and theirs.parent == mine.parent and theirs != mine
        assert reap_stale(base) == []

        kill(launcher[0])
        assert pid_alive(int(info["postgres_pid"])) and pid_alive(int(info["nats_pid"]))
        assert reap_stale(base) == [theirs]
        assert not theirs.exists() and mine.exists()
        assert not pid_alive(int(info["postgres_pid"])) and not pid_alive(int(info["nats_pid"]))
    assert not mine.exists()


def test_supervisor_reports_a_dead_child_and_stops_the_rest(tmp_path: Path) -> None:
    lines: list[tuple[str, str]] = []
    sleeper = ProcessSpec(
        name="sleeper",
        argv=(
            sys.executable,
            "-c",
            "import os, time; print(os.environ['GREETING'], flush=True); time.sleep(60)",
        ),
        env={"GREETING": "goedemorgen"},
    )
    failing = ProcessSpec(
        name="failing", argv=(sys.executable, "-c", "print('mislukt'); raise SystemExit(3)")
    )
    supervisor = Supervisor([sleeper, failing], write=lambda name, line: lines.append((name, line)))
    supervisor.start()
    pid = supervisor.pids["sleeper"]
    try:
        assert supervisor.wait(threading.Event(), timeout=30) == ChildExit("failing", 3)
    finally:
        supervisor.stop()
    assert not pid_alive(pid)
    assert ("failing", "mislukt") in lines
    assert ("sleeper", "goedemorgen") in lines


def test_supervisor_stops_children_a_killed_launcher_left_running(tmp_path: Path) -> None:
    state = tmp_path / "children.json"
    sleeper = ProcessSpec(name="sleeper", argv=(sys.executable, "-c", "import time; time.sleep(60)"))
    lines: list[tuple[str, str]] = []
    abandoned = Supervisor([sleeper], write=lambda name, line: None, state_file=state)
    abandoned.start()  # and never stopped, as if its launcher was killed
    old = abandoned.pids["sleeper"]
    successor = Supervisor([sleeper], write=lambda name, line: lines.append((name, line)), state_file=state)
    try:
        successor.start()
        assert not pid_alive(old)
        assert successor.pids["sleeper"] != old
        assert ("sleeper", f"left running by a killed launcher (pid {old}): stopping it") in lines
    finally:
        successor.stop()
        abandoned.stop()
    assert not state.exists()


def clean_environment() -> dict[str, str]:
    """No configured servers; free ports for the services and the SMTP sink (a dev stack may be running)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("KLACHTSPOOR_")}
    for name in ("INTAKE", "ESCALATION", "NOTIFY", "REPORTING", "SMTP"):
        env[f"KLACHTSPOOR_{name}_PORT"] = str(free_port())
    return env


def test_dev_up_check_starts_the_embedded_stack_and_stops_it(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(KLACHTSPOOR), "dev", "up", "--check"],
        cwd=tmp_path,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "postgresql://klachtspoor@127.0.0.1:" in result.stdout
    assert "nats://127.0.0.1:" in result.stdout
    key_file = tmp_path / ".dev" / "master.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert len(base64.b64decode(key_file.read_text().strip(), validate=True)) == 32
    assert EmbeddedPostgres(tmp_path / ".dev" / "postgres").running_url() is None
    assert EmbeddedNats(tmp_path / ".dev" / "nats").running_url() is None


def test_dev_up_stops_everything_on_sigterm_and_dev_env_prints_its_urls(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [str(KLACHTSPOOR), "dev", "up", "--no-seed"],
        cwd=tmp_path,
        env=clean_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        shown = ""
        for line in process.stdout:
            shown += line
            if line.startswith("running"):
                break
        assert "running" in shown, shown
        postgres = EmbeddedPostgres(tmp_path / ".dev" / "postgres")
        bus = EmbeddedNats(tmp_path / ".dev" / "nats")
        database_url, nats_url = postgres.running_url(), bus.running_url()
        if database_url is None:  # the stack stopped after it said it runs: show why
            process.wait(timeout=60)
            raise AssertionError(shown + process.stdout.read())
        assert database_url in shown
        assert nats_url is not None and nats_url in shown

        exports = subprocess.run(
            [str(KLACHTSPOOR), "dev", "env"],
            cwd=tmp_path,
            env=clean_environment(),
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout.splitlines()
        key = (tmp_path / ".dev" / "master.key").read_text().strip()
        assert f"export KLACHTSPOOR_DATABASE_URL={database_url}" in exports
        assert f"export KLACHTSPOOR_NATS_URL={nats_url}" in exports
        assert f"export KLACHTSPOOR_MASTER_KEY={key}" in exports

        second = subprocess.run(
            [str(KLACHTSPOOR), "dev", "up", "--check"],
            cwd=tmp_path,
            env=clean_environment(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert second.returncode == 1
        assert f"Data directory in use: {tmp_path / '.dev'} (locked by pid {process.pid})" in second.stdout

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0, process.stdout.read()
    finally:
        process.kill()
        process.wait()
    assert postgres.running_url() is None and bus.running_url() is None
