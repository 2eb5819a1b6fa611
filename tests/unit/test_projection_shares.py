"""The shares of a rebuild: every event of a stream falls in one share, the same one in every process."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

import asyncpg

from klachtspoor.eventstore.port import Position, RecordedEvent
from klachtspoor.projections.folding import ShareFold, share_of

STREAMS = [f"case-t1-{uuid.UUID(int=n)}" for n in range(40)]


class Collect:
    def __init__(self) -> None:
        self.fed: list[RecordedEvent] = []

    def feed(self, event: RecordedEvent) -> None:
        self.fed.append(event)

    async def write(self, conn: asyncpg.Connection, tables: Mapping[str, str], *, complete: bool) -> None:
        raise AssertionError("not written here")


def event(stream: str, version: int) -> RecordedEvent:
    now = datetime(2026, 3, 2, tzinfo=UTC)
    return RecordedEvent(stream, version, Position(version, 0), uuid.uuid4(), "T", "t1", {}, {}, 1, now)


def test_the_shares_take_every_event_once_and_a_stream_whole() -> None:
    events = [event(stream, version) for version in range(3) for stream in STREAMS]
    folds = [Collect() for _ in range(3)]
    shares = [ShareFold(fold, share, 3) for share, fold in enumerate(folds)]
    for each in events:
        for fold in shares:
            fold.feed(each)
    assert sorted(e.event_id for f in folds for e in f.fed) == sorted(e.event_id for e in events)
    for share, fold in enumerate(folds):
        assert fold.fed, f"share {share} got no stream of forty"
        streams = {e.stream for e in fold.fed}
        assert all(sum(e.stream == s for e in fold.fed) == 3 for s in streams)


def test_a_stream_falls_in_the_same_share_in_another_process() -> None:
    """``hash`` of a str differs per process (PYTHONHASHSEED); the share must not."""
    code = "import sys; from klachtspoor.projections.folding import share_of; " + (
        "print([share_of(s, 4) for s in sys.argv[1:]])"
    )
    other = subprocess.run(
        [sys.executable, "-c", code, *STREAMS],
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    assert other.stdout.strip() == str([share_of(s, 4) for s in STREAMS])
