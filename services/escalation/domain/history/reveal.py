"""Which personal values a history shows to whom: one rule, one function.

A history is read by people who check how a case was handled (auditors, the complaints officer, the
director, the committee and its secretariat); what they need is who did what and when, not what the
complainant wrote. So the rule below reveals nothing: every reader sees the unmarked fields (codes,
dates, ids, outcomes) and the *names* of the personal fields, never their values. The case file's role
table (``GET …/file``) decides per role which personal fields are seen; pointing :func:`reveals` at that
table is the one change that lets a history show the same.

:func:`masked_payload` applies a rule to one event and says which paths it withheld and which it showed,
so the access log can record what was shown by name; :func:`reveals_any` tells the replay whether it
needs the case's key at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from contracts.base import Event
from contracts.events import EVENT_CLASSES
from contracts.personal import Path, personal_paths
from contracts.registry import dump_event
from contracts.vocabulary import Role
from services.escalation.domain.history.views import WITHHELD

Reveal = Callable[[Role, str, Path], bool]
"""``(reader's role, event type, personal path with "*" for list items) -> shown?``"""


def reveals(role: Role, event_type: str, path: Path) -> bool:
    """No personal value is shown in a history, to any role (the auditor sees unmarked fields only)."""
    return False


def reveals_any(reveal: Reveal, role: Role) -> bool:
    """Whether the rule shows ``role`` any personal value of any event type. When it shows none, a replay
    needs no key at all: nothing is decrypted for a reader who would see none of it."""
    return any(reveal(role, cls.event_type, path) for cls in EVENT_CLASSES for path in personal_paths(cls))


@dataclass(frozen=True, slots=True)
class Masked:
    payload: dict[str, Any]
    withheld: tuple[str, ...]
    revealed: tuple[str, ...]


Rule = tuple[tuple[Path, bool], ...]
"""The rule's answer for one event type and reader: each personal path, and whether it is shown."""


def rule_of(event_type: type[Event], role: Role, reveal: Reveal = reveals) -> Rule:
    """What ``reveal`` shows ``role`` of ``event_type``: asked once per type, not once per event."""
    return tuple((path, reveal(role, event_type.event_type, path)) for path in personal_paths(event_type))


def masked_payload(event: Event, role: Role, reveal: Reveal = reveals, *, rule: Rule | None = None) -> Masked:
    """The event's JSON with each personal value the rule does not reveal replaced by :data:`WITHHELD`.

    An absent value (``null``) stays ``null`` and is listed nowhere: it says nothing. ``rule``, when given,
    is :func:`rule_of` the event's type for ``role`` and ``reveal``, worked out by a caller that masks
    many events of a few types (a timeline).
    """
    payload = dump_event(event)
    withheld: list[str] = []
    revealed: list[str] = []
    for path, shown in rule_of(type(event), role, reveal) if rule is None else rule:
        for concrete in _expand(payload, path):
            if shown:
                revealed.append(".".join(concrete))
            else:
                _set(payload, concrete, WITHHELD)
                withheld.append(".".join(concrete))
    return Masked(payload, tuple(withheld), tuple(revealed))


def _expand(node: Any, path: Path, done: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The concrete paths (list items by index) of ``path`` in ``node`` that hold a value."""
    if not path:
        return [done] if node is not None else []
    head, rest = path[0], path[1:]
    if head == "*":
        if not isinstance(node, list):
            return []
        return [p for i, item in enumerate(node) for p in _expand(item, rest, (*done, str(i)))]
    if isinstance(node, dict) and head in node:
        return _expand(node[head], rest, (*done, head))
    return []


def _set(node: Any, path: tuple[str, ...], value: str) -> None:
    for part in path[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = path[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
