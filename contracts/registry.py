"""Event types by stable name, and reading stored payloads of any known schema version.

Stored events keep the schema version they were written with. :func:`parse_event` upcasts an old payload
step by step (``upcast_v1_v2``, then ``upcast_v2_v3``, …, static methods of the event class) and then
validates it as the current version, so consumers only ever see current events.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Any, cast

from pydantic import ValidationError

from contracts.base import Event
from contracts.errors import EventValidationError, UnknownEventType, UnknownSchemaVersion
from contracts.events import EVENT_CLASSES, AnyEvent
from contracts.personal import Path, personal_paths


@cache
def _catalogue() -> Mapping[str, type[Event]]:
    by_name: dict[str, type[Event]] = {}
    for cls in EVENT_CLASSES:
        if cls.event_type in by_name:
            raise TypeError(
                f"Event type {cls.event_type} is defined twice: {by_name[cls.event_type].__qualname__} "
                f"and {cls.__qualname__}"
            )
        by_name[cls.event_type] = cls
    return MappingProxyType(by_name)


def event_types() -> tuple[str, ...]:
    """Every known event type, in catalogue order."""
    return tuple(_catalogue())


def event_class(type_name: str) -> type[Event]:
    try:
        return _catalogue()[type_name]
    except KeyError:
        raise UnknownEventType(type_name) from None


def current_version(type_name: str) -> int:
    return event_class(type_name).schema_version


def personal_paths_of(type_name: str) -> tuple[Path, ...]:
    """The personal fields of an event type's payload: what the storage layer encrypts."""
    return personal_paths(event_class(type_name))


def upcast(type_name: str, schema_version: int, data: Mapping[str, Any]) -> dict[str, Any]:
    """The payload moved from ``schema_version`` to the current version, not yet validated."""
    cls = event_class(type_name)
    current = cls.schema_version
    if isinstance(schema_version, bool) or not 1 <= schema_version <= current:
        raise UnknownSchemaVersion(type_name, schema_version, current)
    if not isinstance(data, Mapping):
        problem = f"(payload): expected a JSON object, got {type(data).__name__}"
        raise EventValidationError(type_name, schema_version, (problem,))
    payload = dict(data)
    for version in range(schema_version, current):
        step = f"upcast_v{version}_v{version + 1}"
        try:
            payload = getattr(cls, step)(payload)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            problem = f"(payload): {step} failed with {type(exc).__name__}"
            raise EventValidationError(type_name, schema_version, (problem,)) from exc
    return payload


def parse_event(type_name: str, schema_version: int, data: Mapping[str, Any]) -> AnyEvent:
    """A typed, current event from a stored payload of any known version.

    Raises :class:`UnknownEventType`, :class:`UnknownSchemaVersion` or :class:`EventValidationError`
    (naming the type, the stored version and the bad fields, never their values).
    """
    cls = event_class(type_name)
    payload = upcast(type_name, schema_version, data)
    try:
        return cast(AnyEvent, cls.model_validate(payload))
    except ValidationError as exc:
        raise EventValidationError(type_name, schema_version, _problems(exc)) from exc


def parse_current_json(type_name: str, text: str | bytes) -> AnyEvent:
    """A typed event from the stored JSON text of a payload at the current schema version.

    What :func:`parse_event` gives for the parsed text at that version, validated by pydantic from the
    text in one pass (no dict built in between: a rebuild reads a million payloads). Raises the same
    errors; a payload at an older version needs :func:`parse_event`, whose upcasters take a dict.
    """
    cls = event_class(type_name)
    try:
        return cast(AnyEvent, cls.model_validate_json(text))
    except ValidationError as exc:
        raise EventValidationError(type_name, cls.schema_version, _problems(exc)) from exc


def dump_event(event: Event) -> dict[str, Any]:
    """The JSON-ready payload of an event, as it is stored (at the current schema version)."""
    return event.model_dump(mode="json")


def _problems(exc: ValidationError) -> tuple[str, ...]:
    return tuple(
        f"{'.'.join(str(part) for part in error['loc']) or '(payload)'}: {error['msg']}"
        for error in exc.errors(include_input=False, include_url=False)
    )
