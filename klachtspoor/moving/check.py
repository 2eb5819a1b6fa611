"""The check after a copy: is the target the source, event for event, stream for stream, chain for chain?

Three walks of what the target holds, each able to find what the others cannot:

* the global logs side by side: every event the same and in the same place, both ending together (so
  the global anchors recorded over the source's log hold on the target: their digests are checked by
  count, as the target's positions are its own);
* the hash chains of the target, as ``klachtspoor verify`` checks them, on the same walk;
* every stream read on its own from the target: as many events as in the source, ending in the same hash.

Nothing stops at the first difference of another kind: a chain break and an anchor that does not hold
are reported beside a difference of the logs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from klachtspoor.eventstore.port import START, Position, RecordedEvent
from klachtspoor.integrity.anchors import ZERO_DIGEST, Anchor, RunningDigest
from klachtspoor.integrity.chain import recorded_hash
from klachtspoor.integrity.verify import ChainBreak, LogChecker
from klachtspoor.moving.copy import CopyTarget
from klachtspoor.moving.events import LogReader, difference, global_log

Progress = Callable[[str, int], None]
"""Told the phase (``"log"``, then ``"streams"``) and the number of events compared in it so far."""


@dataclass(frozen=True, slots=True)
class Comparison:
    events: int
    """Events of the source's log compared."""
    streams: int
    difference: str | None = None
    """The first difference between the stores, naming the stream and version; None: the same."""
    chain_break: ChainBreak | None = None
    anchors_held: int = 0
    """Anchors recorded over the source whose digest the target's log has at the same count."""
    anchor_break: str | None = None
    ended_at: Position = START
    """The target's position of the last event compared: where the copied events end there."""
    digest: str = ZERO_DIGEST.hex()
    """The running digest of the events compared (A_events), as anchors have it."""

    @property
    def identical(self) -> bool:
        return self.difference is None and self.chain_break is None and self.anchor_break is None


async def compare_stores(
    source: LogReader,
    target: CopyTarget,
    *,
    anchors: Sequence[Anchor] = (),
    page: int = 1000,
    progress: Progress | None = None,
) -> Comparison:
    """Compare ``target`` with ``source`` (both bare adapters) and check its chains and ``anchors``."""
    walk = _Walk(sorted(anchors, key=lambda a: a.count))
    await walk.logs(source, target, page, progress)
    if walk.difference is None:
        walk.difference = await _streams(target, walk.heads, progress)
    if walk.pending and walk.anchor_break is None:
        first = walk.pending[0]
        walk.anchor_break = f"anchor over {first.count} events, but the source's log has {walk.count}"
    return Comparison(
        events=walk.count,
        streams=len(walk.heads),
        difference=walk.difference,
        chain_break=walk.chain_break,
        anchors_held=walk.held,
        anchor_break=walk.anchor_break,
        ended_at=walk.ended_at,
        digest=walk.digest_hex,
    )


class _Walk:
    """The side-by-side walk of both logs, with the target's chains and the anchors checked on the way."""

    def __init__(self, pending: list[Anchor]) -> None:
        self.pending = pending
        self.heads: dict[str, tuple[int, str]] = {}
        """Each source stream's event count and last hash."""
        self.count = self.held = 0
        self.difference: str | None = None
        self.chain_break: ChainBreak | None = None
        self.anchor_break: str | None = None
        self._checker = LogChecker()
        self._digest = RunningDigest()

    @property
    def ended_at(self) -> Position:
        return self._digest.position

    @property
    def digest_hex(self) -> str:
        return self._digest.digest.hex()

    async def logs(self, source: LogReader, target: LogReader, page: int, progress: Progress | None) -> None:
        sources, targets = global_log(source, page), global_log(target, page)
        try:
            while self.difference is None:
                here, there = await anext(sources, None), await anext(targets, None)
                if here is None or there is None:
                    self.difference = _ends(self.count, here, there)
                    if progress is not None:
                        progress("log", self.count)
                    return
                differs = difference(here, there)
                if differs is not None:
                    where = f"{there.stream} version {there.version} ({there.event_id})"
                    self.difference = f"at {where}: {differs}"
                    return
                self._feed(here, there)
                if progress is not None and self.count % page == 0:
                    progress("log", self.count)
        finally:
            await sources.aclose()
            await targets.aclose()

    def _feed(self, here: RecordedEvent, there: RecordedEvent) -> None:
        event_hash, broken = self._checker.feed(there)
        if broken is not None and self.chain_break is None:
            self.chain_break = broken
        self.count += 1
        seen = self.heads.get(here.stream, (0, ""))[0]
        self.heads[here.stream] = (seen + 1, recorded_hash(here))
        self._digest.add(event_hash, there.position)
        if self.pending and self.pending[0].count == self.count:
            anchor = self.pending.pop(0)
            if anchor.digest == self._digest.digest.hex():
                self.held += 1
            elif self.anchor_break is None:
                self.anchor_break = (
                    f"anchor over {anchor.count} events (to {anchor.position} in the source): digest"
                    f" {anchor.digest} expected, the target's log has {self._digest.digest.hex()}"
                )


def _ends(count: int, here: RecordedEvent | None, there: RecordedEvent | None) -> str | None:
    if here is not None:
        return (
            f"the target ends after {count} events; the source goes on with {here.stream}"
            f" version {here.version} ({here.event_id})"
        )
    if there is not None:
        return (
            f"the target has {there.stream} version {there.version} ({there.event_id}) after the"
            f" source's last event (event {count})"
        )
    return None


async def _streams(
    target: CopyTarget, heads: dict[str, tuple[int, str]], progress: Progress | None
) -> str | None:
    """Every stream read from the target on its own: its event count and last hash, as in the source."""
    done = 0
    for stream, (count, last_hash) in heads.items():
        events = await target.read_stream(stream)
        if len(events) != count:
            return f"{stream} has {len(events)} events in the target, {count} in the source"
        if recorded_hash(events[-1]) != last_hash:
            return f"{stream} ends in another hash in the target than in the source (version {count - 1})"
        done += count
        if progress is not None:
            progress("streams", done)
    return None
