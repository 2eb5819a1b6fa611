"""Running stacks for the end-to-end tests: a fresh database on the test PostgreSQL server, a NATS server of
its own (no other test's messages on its subjects), and every ``make dev`` child process; the children's
output goes to a log file each, whose tails are added to the report of a failed test.

A module with ``SHARED_STACK = True`` runs on one stack shared for the session (its tests find their own
cases and kill nothing); any other module gets a stack of its own, on EventStoreDB for
``EVENTSTORE = "esdb"``, without span export for ``TRACED = False``."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Generator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager
from pathlib import Path

import pytest
from e2e_stack import Stack, split_specs, stack_environment, telemetry_environment, wait_ready
from otlp_sink import OtlpSink

from klachtspoor.crypto import MasterKey
from klachtspoor.eventstore.esdb import EsdbEventStore
from klachtspoor.eventstore.port import EventStore
from klachtspoor.eventstore.postgres import PostgresEventStore, migrate
from klachtspoor.pgtools import create_database, drop_database, scratch_name
from klachtspoor_devtools.devstack.logfiles import ProcessLogs
from klachtspoor_devtools.devstack.nats import EmbeddedNats
from klachtspoor_devtools.devstack.process import free_port
from klachtspoor_devtools.devstack.stack import JWT_KEY_VAR, SERVICES
from klachtspoor_devtools.devstack.supervisor import Supervisor

LOG_SECTION = "e2e process logs"
ESDB_URL_VAR = "KLACHTSPOOR_EVENTSTORE_URL"
ESDB_NAMESPACE_VAR = "KLACHTSPOOR_EVENTSTORE_NAMESPACE"
ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def embedded_nats(root: Path) -> Iterator[str]:
    server = EmbeddedNats(root)
    try:
        yield server.start()
    finally:
        server.stop()


@contextmanager
def eventstore_environment(kind: str) -> Iterator[dict[str, str]]:
    """Nothing for PostgreSQL's event store. For ``"esdb"``: ``KLACHTSPOOR_TEST_ESDB_URL`` when set, else
    the test server as a process of its own (as a real server would be, and unaffected by the test process
    pausing), with a namespace of the stack's own."""
    if kind != "esdb":
        yield {}
        return
    namespace = f"e2e-{uuid.uuid4().hex[:12]}"
    configured = os.environ.get("KLACHTSPOOR_TEST_ESDB_URL")
    if configured:
        yield {ESDB_URL_VAR: configured, ESDB_NAMESPACE_VAR: namespace}
        return
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.esdb_server"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        assert url.startswith("esdb://"), f"the test EventStoreDB server did not start: {url!r}"
        yield {ESDB_URL_VAR: url, ESDB_NAMESPACE_VAR: namespace}
    finally:
        server.terminate()
        server.wait(timeout=10)


@asynccontextmanager
async def running_stack(
    postgres_url: str, root: Path, *, eventstore: str = "postgres", traced: bool = True
) -> AsyncIterator[Stack]:
    """A database of its own, a NATS server of its own (under ``root/nats``), and every ``make dev`` child
    process (data under ``root/stack``)."""
    data = root / "stack"
    with embedded_nats(root / "nats") as nats_url, eventstore_environment(eventstore) as store_env:
        name = scratch_name("ks_e2e")
        database_url = await create_database(postgres_url, name)
        await migrate(database_url)  # as `dev up` does before it starts any child
        otlp = OtlpSink().start()
        ports = {name: free_port() for name in (*SERVICES, "smtp")}
        env = stack_environment(
            data,
            database_url=database_url,
            nats_url=nats_url,
            master_key=MasterKey.generate_base64(),
            ports=ports,
        )
        if traced:
            env.update(telemetry_environment(otlp.endpoint))
        env.update(store_env)
        others, notify = split_specs(env)
        logs = ProcessLogs(data / "logs")
        running = Stack(
            env=env,
            database_url=database_url,
            mail_dir=data / "mail",
            private_key=(Path(env[JWT_KEY_VAR]).parent / "private.pem").read_text(),
            otlp=otlp,
            logs=logs,
            others=Supervisor(others, write=logs.write),
            notify=Supervisor([notify], write=logs.write),
        )
        try:
            running.others.start()
            running.notify.start()
            await wait_ready(running, list(SERVICES))
            yield running
        finally:
            running.notify.stop()
            running.others.stop()
            logs.close()
            otlp.stop()
            await drop_database(postgres_url, name)


class SharedStack:
    """The stack on PostgreSQL's event store, without span export, for every module with
    ``SHARED_STACK = True``: modules whose tests find their own cases by id or reference, kill nothing and
    count nothing of the whole store. Started by the first module that asks, stopped at the session's end."""

    def __init__(self, postgres_url: str, root: Path, exits: AsyncExitStack) -> None:
        self._postgres_url, self._root, self._exits = postgres_url, root, exits
        self._running: Stack | None = None

    async def get(self) -> Stack:
        if self._running is None:
            self._running = await self._exits.enter_async_context(
                running_stack(self._postgres_url, self._root, traced=False)
            )
        return self._running


@pytest.fixture(scope="session")
async def shared_stack(
    postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[SharedStack]:
    async with AsyncExitStack() as exits:
        yield SharedStack(postgres_url, tmp_path_factory.mktemp("shared-stack"), exits)


@pytest.fixture(scope="module")
async def stack(
    request: pytest.FixtureRequest,
    postgres_url: str,
    shared_stack: SharedStack,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Stack]:
    """The running stack: the shared one for a module with ``SHARED_STACK = True``, else one of the module's
    own, on EventStoreDB for ``EVENTSTORE = "esdb"`` and without exporting spans for ``TRACED = False``."""
    module = request.module
    if getattr(module, "SHARED_STACK", False):
        yield await shared_stack.get()
        return
    async with running_stack(
        postgres_url,
        tmp_path_factory.mktemp("stack"),
        eventstore=getattr(module, "EVENTSTORE", "postgres"),
        traced=bool(getattr(module, "TRACED", True)),
    ) as running:
        yield running


@pytest.fixture(scope="module")
async def store(stack: Stack) -> AsyncIterator[EventStore]:
    """The stack's event store, read by the tests to check what the services recorded."""
    opened: EventStore
    if ESDB_URL_VAR in stack.env:
        url, namespace = stack.env[ESDB_URL_VAR], stack.env[ESDB_NAMESPACE_VAR]
        opened = await EsdbEventStore.connect(url, namespace=namespace)
    else:
        opened = await PostgresEventStore.connect(stack.database_url, notify=False, pool_size=2)
    yield opened
    await opened.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failed e2e test's report carries the tail of every process's log."""
    report = yield
    running = getattr(item, "funcargs", {}).get("stack")
    if report.failed and isinstance(running, Stack):
        report.sections.append((LOG_SECTION, running.logs.tails()))
    return report
