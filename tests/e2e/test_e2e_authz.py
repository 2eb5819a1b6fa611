"""The authorisation matrix walked against the running services (docs/authorisation.md): every cell of
``authz_matrix.MATRIX`` once, on the few cases ``authz_cases`` sets up; a cell whose answer differs from
the table, or a read that shows more than its row allows, fails the test (all of them are listed). The
refused cells write nothing: after the walk the event store holds only what the admitted cells that
change a case were expected to append."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator

import httpx
import pytest
from authz_cases import Cases, set_up
from authz_matrix import MATRIX
from authz_principals import Case
from authz_rows import expand
from authz_walk import Walker, walk
from e2e_stack import Stack

from klachtspoor.eventstore.port import START, EventStore, Position

pytestmark = pytest.mark.slow
SHARED_STACK = False
"""A stack of its own: the walk tries receipt codes at other organisations until the per-code lock
answers 429 for an hour, and on the shared stack another module's filing there would draw one of those
codes."""
TRACED = False

EXPECTED_WRITES = {
    Case.MAIN: Counter({"ConfidantContactedOrganisation": 1}),
    Case.DOSSIER: Counter(
        {"ComplainantInformationAdded": 1, "ComplaintWithdrawn": 1, "DossierSecretIssued": 1}
    ),
}
"""What the admitted cells that change a case append: the confidant with consent contacts the
organisation; the complainant adds information, withdraws and replaces the secret."""
REACTIONS = frozenset({"NotificationRequested", "NotificationSent", "TermStarted"})
"""What the services append in reaction to the withdrawal (its letter, the retention term)."""


@pytest.fixture(scope="module")
async def client() -> AsyncIterator[httpx.AsyncClient]:
    # no connection kept: one idle past the server's keep-alive may close under the next request
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_keepalive_connections=0)) as opened:
        yield opened


async def _head(store: EventStore, after: Position) -> Position:
    while batch := await store.read_all(after=after, limit=1000):
        after = batch[-1].position
    return after


async def test_every_cell_of_the_matrix_answers_as_the_table_says(
    stack: Stack, store: EventStore, client: httpx.AsyncClient
) -> None:
    cases: Cases = await set_up(stack, store, client)
    head = await _head(store, START)
    cells = [cell for row in MATRIX for cell in expand(row)]

    walker = Walker(stack, cases, client)
    try:
        outcomes = await walk(walker, cells)
    finally:
        await walker.close()

    wrong = [o.describe() for o in outcomes if o.status != o.cell.status or o.problems]
    assert not wrong, f"{len(wrong)} of {len(outcomes)} cells differ from the table:\n" + "\n".join(wrong)
    written = await store.read_all(after=head, limit=1000)
    streams = {cases[case].stream: case for case in Case}
    by_case: dict[Case, Counter[str]] = {}
    for event in written:
        assert event.stream in streams, f"{event.type} appended to {event.stream} during the walk"
        if event.type not in REACTIONS:
            by_case.setdefault(streams[event.stream], Counter())[event.type] += 1
    assert by_case == EXPECTED_WRITES
