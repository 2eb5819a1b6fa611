"""Checking hash chains: pure functions over recorded events, no I/O.

:func:`verify_stream` checks one stream read in version order (an auditor's case, a replay with chain
verification). :class:`LogChecker` checks every stream it is fed in global-log order at once, keeping only
each stream's last version and hash, and also yields each event's hash for the global anchors.

Events written before chaining existed carry no link. They are accepted where a stream starts with them
(its first chained event's ``prev`` is the implicit hash of the last of them, so the chain pins that one),
counted as :attr:`LogChecker.unchained`, and covered by the global anchors like every other event. An
unlinked event after a linked one in the same stream is a break: chaining never stops once it started.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple
from uuid import UUID

from klachtspoor.eventstore.port import RecordedEvent
from klachtspoor.integrity.chain import CHAIN_VERSION, ZERO_HASH, hash_and_link


class Problem(StrEnum):
    CONTENT_HASH = "content hash"
    """The event's stored hash is not the hash of what is stored: data or metadata changed."""
    PREDECESSOR_HASH = "predecessor hash"
    """The event's ``prev`` is not the hash of the event stored before it: one was moved or replaced."""
    VERSION_GAP = "version gap"
    """The stream's versions do not follow on from 0 one by one: an event was removed or moved."""
    MISSING_LINK = "missing link"
    """The event has no chain link although an earlier event of its stream has one."""
    LINK_FORMAT = "link format"
    """The chain link is not a link of a known version."""


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first broken link found: which event, and what differs (hashes, or versions, as text)."""

    stream: str
    version: int
    event_id: UUID
    problem: Problem
    expected: str
    found: str

    def describe(self) -> str:
        return (
            f"Stream {self.stream} version {self.version} (event {self.event_id}): {self.problem}"
            f" differs, expected {self.expected}, found {self.found}"
        )


class _Head(NamedTuple):
    """A stream's last checked event (a named tuple: one is made per event, on the hot path)."""

    version: int
    hash: str
    chained: bool


def check_event(event: RecordedEvent, head: _Head | None) -> tuple[_Head, ChainBreak | None]:
    """One event against its stream's previous one (None: it should be the stream's first)."""
    expected_version = 0 if head is None else head.version + 1
    actual, link = hash_and_link(event)
    new_head = _Head(event.version, actual, link is not None or (head is not None and head.chained))
    if event.version != expected_version:
        return new_head, _break(
            event, Problem.VERSION_GAP, f"version {expected_version}", f"version {event.version}"
        )
    if link is None:
        if head is not None and head.chained:
            return new_head, _break(event, Problem.MISSING_LINK, "a chain link", "none")
        return new_head, None
    if link.version != CHAIN_VERSION:
        return new_head, _break(
            event, Problem.LINK_FORMAT, f"chain v{CHAIN_VERSION}", f"chain v{link.version}"
        )
    if link.hash != actual:
        return new_head, _break(event, Problem.CONTENT_HASH, actual, link.hash or "none")
    expected_prev = ZERO_HASH if head is None else head.hash
    if link.prev != expected_prev:
        return new_head, _break(event, Problem.PREDECESSOR_HASH, expected_prev, link.prev or "none")
    return new_head, None


def _break(event: RecordedEvent, problem: Problem, expected: str, found: str) -> ChainBreak:
    return ChainBreak(event.stream, event.version, event.event_id, problem, expected, found)


def verify_stream(events: Sequence[RecordedEvent]) -> ChainBreak | None:
    """The first broken link of one stream's events (all of them, in version order), or None if intact."""
    head: _Head | None = None
    for event in events:
        head, problem = check_event(event, head)
        if problem is not None:
            return problem
    return None


class LogChecker:
    """Checks the chains of every stream in the events it is fed, in global-log order.

    The port keeps each stream's events in version order in the global log, so a stream's events arrive
    one version after another; an event out of that order is a :attr:`Problem.VERSION_GAP`.
    """

    def __init__(self) -> None:
        self._heads: dict[str, _Head] = {}
        self.checked = 0
        self.unchained = 0

    @property
    def streams(self) -> int:
        return len(self._heads)

    def feed(self, event: RecordedEvent) -> tuple[str, ChainBreak | None]:
        """The event's recomputed hash (for the anchors) and the break it shows, if any."""
        head, problem = check_event(event, self._heads.get(event.stream))
        self._heads[event.stream] = head
        self.checked += 1
        if not head.chained:
            self.unchained += 1
        return head.hash, problem
