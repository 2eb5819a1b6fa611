"""Servers for the tests: the local ones when KLACHTSPOOR_DATABASE_URL / KLACHTSPOOR_NATS_URL are set,
otherwise real PostgreSQL and NATS JetStream started from PyPI wheels by the project's own launcher."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from klachtspoor.pgtools import create_database, drop_database, scratch_name

if TYPE_CHECKING:
    from klachtspoor_devtools.devstack.smtp import MailSink
    from tests.esdb_server import RunningServer

REPO = Path(__file__).resolve().parent.parent
TEST_DATA = REPO / ".dev" / "test"


@pytest.fixture(autouse=True)
def settings_read_afresh() -> Iterator[None]:
    """``get_settings()`` keeps the environment of its first call for the whole process, as a service
    should; a test that sets variables must not get the settings another test's call cached before it
    (which tests share a process depends on how the workers are given the files)."""
    from klachtspoor.settings import get_settings

    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def devstack_run_dir() -> Iterator[Path]:
    """This run's own directory under .dev/test/ (concurrent runs never share; killed runs are reaped)."""
    from tests.rundir import RunDirectory

    with RunDirectory(TEST_DATA) as path:
        yield path


@pytest.fixture(scope="session")
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """URL of a PostgreSQL server whose user may create databases."""
    configured = os.environ.get("KLACHTSPOOR_DATABASE_URL")
    if configured:
        yield configured
        return
    from klachtspoor_devtools.devstack.postgres import EmbeddedPostgres

    run_dir: Path = request.getfixturevalue("devstack_run_dir")
    server = EmbeddedPostgres(run_dir / "postgres", durable=False)
    yield server.start()
    server.stop()


@pytest.fixture(scope="session")
def nats_url(request: pytest.FixtureRequest) -> Iterator[str]:
    configured = os.environ.get("KLACHTSPOOR_NATS_URL")
    if configured:
        yield configured
        return
    from klachtspoor_devtools.devstack.nats import EmbeddedNats

    run_dir: Path = request.getfixturevalue("devstack_run_dir")
    server = EmbeddedNats(run_dir / "nats")
    yield server.start()
    server.stop()


@pytest.fixture(scope="session")
async def esdb_url() -> AsyncIterator[str]:
    """An EventStoreDB for the whole run: ``KLACHTSPOOR_TEST_ESDB_URL`` when set (a real server, e.g.
    deploy/compose.yaml's), else the in-process test server. Tests share it and keep apart by namespace
    (``esdb_namespace``), so a real server's own data is never seen or touched."""
    configured = os.environ.get("KLACHTSPOOR_TEST_ESDB_URL")
    if configured:
        yield configured
        return
    from tests.esdb_server import start_server

    server = await start_server()
    yield server.url
    await server.stop()


@pytest.fixture
async def nodes() -> AsyncIterator[list[RunningServer]]:
    """Three nodes of one EventStoreDB test cluster; the first leads."""
    from tests.esdb_server import start_cluster

    started = await start_cluster()
    yield started
    for node in started:
        await node.stop()


@pytest.fixture
def esdb_namespace() -> str:
    """A stream namespace of one test's own on the shared EventStoreDB."""
    return f"test-{uuid.uuid4().hex[:16]}"


@pytest.fixture
async def database_url(postgres_url: str) -> AsyncIterator[str]:
    """A new, empty database for one test, dropped afterwards."""
    name = scratch_name("ks_test")
    yield await create_database(postgres_url, name)
    await drop_database(postgres_url, name)


@pytest.fixture
def smtp_sink(tmp_path: Path) -> Iterator[MailSink]:
    """An SMTP server on a free loopback port that writes every accepted mail to a file."""
    from klachtspoor_devtools.devstack.smtp import MailSink

    with MailSink(tmp_path / "mail") as sink:
        yield sink
