"""Reading the store to check it: one case's stream, a tenant's streams, or the whole global log.

What ``klachtspoor verify`` runs. Each check stops at the first break it finds, the first in log order
(or version order, for one stream), and reports it with how much was checked before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from klachtspoor.eventstore.port import START, EventStore, LogFilter
from klachtspoor.integrity.anchors import Anchor, AnchorBreak, AnchorCheck
from klachtspoor.integrity.verify import ChainBreak, LogChecker, verify_stream

_PAGE = 5000


@dataclass(frozen=True, slots=True)
class Report:
    checked: int
    """Events whose hashes were checked."""
    streams: int
    unchained: int
    """Events written before chaining existed (no link), accepted at the start of their streams."""
    anchors_matched: int
    chain_break: ChainBreak | None = None
    anchor_break: AnchorBreak | None = None

    @property
    def intact(self) -> bool:
        return self.chain_break is None and self.anchor_break is None


async def check_stream(store: EventStore, stream: str) -> Report:
    """One stream, all its events in version order (a case: ``case:<tenant>:<id>``)."""
    events = await store.read_stream(stream)
    broken = verify_stream(events)
    checker = LogChecker()
    for event in events:
        checker.feed(event)
    return Report(
        checked=len(events),
        streams=1 if events else 0,
        unchained=checker.unchained,
        anchors_matched=0,
        chain_break=broken,
    )


async def check_log(
    store: EventStore,
    *,
    tenant: str | None = None,
    anchors: Sequence[Anchor] = (),
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Every stream in the global log (or only ``tenant``'s), and the log against exported ``anchors``.

    Anchors cover the whole log, so they cannot be checked over one tenant's events. ``progress`` is
    called with the number of events checked after each page.
    """
    if tenant is not None and anchors:
        raise ValueError("Anchors cover the whole global log: check them without a tenant")
    checker, against = LogChecker(), AnchorCheck(anchors)
    log_filter = None if tenant is None else LogFilter(tenants=frozenset({tenant}))
    chain_break: ChainBreak | None = None
    anchor_break: AnchorBreak | None = None
    after = START
    while chain_break is None and anchor_break is None:
        events = await store.read_all(after=after, filter=log_filter, limit=_PAGE)
        if not events:
            anchor_break = against.end()
            break
        for event in events:
            event_hash, chain_break = checker.feed(event)
            anchor_break = against.feed(event_hash, event.position)
            if chain_break is not None or anchor_break is not None:
                break
        after = events[-1].position
        if progress is not None:
            progress(checker.checked)
    return Report(
        checked=checker.checked,
        streams=checker.streams,
        unchained=checker.unchained,
        anchors_matched=against.matched,
        chain_break=chain_break,
        anchor_break=anchor_break,
    )
