"""Global anchors: a running digest over the whole global log, recorded now and then and exported.

``A_0`` is 32 zero bytes; ``A_n = SHA-256(A_(n-1) || h_n)`` where ``h_n`` is the 32-byte hash of the n-th
event in global-log order (:func:`~klachtspoor.integrity.chain.recorded_hash`). An anchor says "the first
``count`` events end at ``position`` and digest to ``digest``". Kept outside the database (the export, JSON
lines), it lets an auditor see whether anyone with write access rewrote, dropped or reordered history
since: the digest covers every event's content and its place in the log.

:func:`record_anchor` extends the last recorded anchor with what was appended since; :class:`AnchorCheck`
compares a walk over the log with exported anchors. Both are pure apart from the store they are given.

An anchor's position is where its last event was in the store that recorded it. After the event store
moved (``klachtspoor eventstore copy`` keeps the log's order, so every digest holds in the new store), the
old anchors' positions are the old store's: a :class:`Move` records where the copied events end in the
new one, anchors go on from there, and exported anchors are matched by count and digest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from klachtspoor.eventstore.port import START, EventStore, Position
from klachtspoor.integrity.chain import recorded_hash

ANCHOR_FORMAT = 1
ZERO_DIGEST = bytes(32)
_PAGE = 5000
_sha256, _fromhex = hashlib.sha256, bytes.fromhex


class Anchor(BaseModel):
    """The digest of the first ``count`` events of the global log, the last at ``position``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    v: int = Field(default=ANCHOR_FORMAT, description="Format of the anchor (1)")
    count: int = Field(gt=0, description="Events covered, from the start of the global log")
    position: str = Field(description="Global position of the last event covered, as commit/sequence")
    digest: str = Field(pattern="^[0-9a-f]{64}$", description="A_count, hex")
    recorded_at: datetime | None = Field(default=None, description="When the anchor was recorded")

    @property
    def at(self) -> Position:
        return Position.parse(self.position)


class RunningDigest:
    """``A_n`` and ``n`` as events are added in log order."""

    __slots__ = ("count", "digest", "position")

    def __init__(self, digest: bytes = ZERO_DIGEST, count: int = 0, position: Position = START) -> None:
        self.digest, self.count, self.position = digest, count, position

    @classmethod
    def after(cls, anchor: Anchor | None) -> RunningDigest:
        if anchor is None:
            return cls()
        return cls(bytes.fromhex(anchor.digest), anchor.count, anchor.at)

    def add(self, event_hash: str, position: Position) -> None:
        self.digest = _sha256(self.digest + _fromhex(event_hash)).digest()
        self.count += 1
        self.position = position

    def anchor(self) -> Anchor:
        return Anchor(count=self.count, position=str(self.position), digest=self.digest.hex())


@dataclass(frozen=True, slots=True)
class Move:
    """The event store moved: the new store's first ``count`` events are the old store's, in the same
    order, the last at ``position`` in the new store; ``digest`` is their running digest (A_count)."""

    count: int
    position: Position
    digest: str
    target: str
    """The new store, without credentials."""
    moved_at: datetime | None = None


class AnchorTable(Protocol):
    """Where anchors are recorded: :class:`~klachtspoor.integrity.anchorstore.PostgresAnchors`."""

    async def last(self) -> Anchor | None: ...

    async def last_move(self) -> Move | None: ...

    async def add(self, anchor: Anchor) -> Anchor: ...


def continuation(last: Anchor | None, move: Move | None) -> RunningDigest:
    """Where the next anchor goes on from: the last anchor, or a move that covers at least as many events
    (the anchors before it have positions in the old store, which mean nothing in the new one)."""
    if move is not None and (last is None or move.count >= last.count):
        return RunningDigest(bytes.fromhex(move.digest), move.count, move.position)
    return RunningDigest.after(last)


async def record_anchor(store: EventStore, table: AnchorTable) -> Anchor | None:
    """Extend the last recorded anchor (or the last move) over the events appended since and record it.

    Returns the new anchor, or None when nothing was appended since the last one.
    """
    last = await table.last()
    running = continuation(last, await table.last_move())
    while events := await store.read_all(after=running.position, limit=_PAGE):
        for event in events:
            running.add(recorded_hash(event), event.position)
    if running.count == 0 or (last is not None and running.count == last.count):
        return None
    return await table.add(running.anchor())


def export_lines(anchors: Iterable[Anchor]) -> Iterable[str]:
    """One compact JSON object per anchor, oldest first: the file an auditor keeps elsewhere."""
    for anchor in anchors:
        yield anchor.model_dump_json(exclude_none=True)


def parse_lines(lines: Iterable[str], source: str) -> list[Anchor]:
    """Anchors from an export, sorted by count; a bad line is a ValueError naming the line number."""
    anchors = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            anchors.append(Anchor.model_validate(json.loads(line)))
        except ValueError as exc:  # json.JSONDecodeError and pydantic's ValidationError both are
            raise ValueError(f"{source} line {number} is not an anchor: {exc}") from exc
    return sorted(anchors, key=lambda a: a.count)


@dataclass(frozen=True, slots=True)
class AnchorBreak:
    """The log differs from an exported anchor: which, and what the log has there instead."""

    anchor: Anchor
    found_count: int
    found_position: str | None
    found_digest: str | None

    def describe(self) -> str:
        if self.found_digest is None:
            return (
                f"Anchor over {self.anchor.count} events (to {self.anchor.position}): the log ends after"
                f" {self.found_count} events; events were removed"
            )
        return (
            f"Anchor over {self.anchor.count} events: expected digest {self.anchor.digest} at"
            f" {self.anchor.position}, found {self.found_digest} at {self.found_position};"
            " history up to there was rewritten, removed or reordered"
        )


class AnchorCheck:
    """Walks along the log with the anchors; the first anchor the log does not match is the break."""

    def __init__(self, anchors: Sequence[Anchor]) -> None:
        self._pending = sorted(anchors, key=lambda a: a.count)
        self._running = RunningDigest()
        self.matched = 0

    def feed(self, event_hash: str, position: Position) -> AnchorBreak | None:
        """The position is not compared: an anchor recorded before the store moved has the old store's.
        The digest at the count covers every event's content and place in the log up to there."""
        self._running.add(event_hash, position)
        if not self._pending or self._pending[0].count != self._running.count:
            return None
        anchor = self._pending.pop(0)
        found = self._running.digest.hex()
        if found != anchor.digest:
            return AnchorBreak(anchor, self._running.count, str(self._running.position), found)
        self.matched += 1
        return None

    def end(self) -> AnchorBreak | None:
        """After the last event: an anchor beyond the end of the log means events went missing."""
        if not self._pending:
            return None
        return AnchorBreak(self._pending[0], self._running.count, None, None)
