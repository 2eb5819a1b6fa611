"""Field types for request bodies that accept what their JSON Schema says and nothing more.

FastAPI validates a decoded body in pydantic's lax Python mode, which takes the JSON number ``0`` for a
date (1 January 1970) or for ``false``, and the text ``"5"`` for an integer: a request the document calls
invalid would be accepted. (Strict mode is no way out: in Python mode it refuses the text of a date, a
UUID or an enum value too.) So a request body's booleans are strict, its integers numbers, a date is
``YYYY-MM-DD`` text and a moment ISO 8601 text with an offset, as ``format: date`` and
``format: date-time`` say; pydantic parses and checks the text.
"""

from __future__ import annotations

from datetime import date, datetime
from types import UnionType
from typing import Annotated, Any, ClassVar, Union, get_args, get_origin

from pydantic import AwareDatetime, BaseModel, BeforeValidator, StrictBool
from pydantic._internal._model_construction import ModelMetaclass
from pydantic.fields import FieldInfo

from contracts.base import ContractModel


def _date_text(value: Any) -> Any:
    if isinstance(value, str | date):
        return value
    raise ValueError("a date is text in the form YYYY-MM-DD")


def _moment_text(value: Any) -> Any:
    if isinstance(value, str | datetime):
        return value
    raise ValueError("a moment is ISO 8601 text with an offset, such as 2026-03-02T10:30:00+01:00")


def _number(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    raise ValueError("an integer is a JSON number without a fraction")


JsonDate = Annotated[date, BeforeValidator(_date_text)]
JsonMoment = Annotated[AwareDatetime, BeforeValidator(_moment_text)]
JsonBool = StrictBool
"""``true`` or ``false``, not ``0``, ``1`` or ``"yes"``."""
JsonInt = Annotated[int, BeforeValidator(_number)]
"""A JSON integer (``5``, and ``5.0``, which JSON Schema calls an integer too), not ``"5"`` or ``true``."""

SERVER_FILLED: frozenset[str] = frozenset({"command_id", "tenant", "case_id", "actor", "now"})
"""The fields of every command that the server fills in, never the client: never in a request body."""

_JSON_TYPES: dict[Any, Any] = {bool: JsonBool, int: JsonInt, date: JsonDate, AwareDatetime: JsonMoment}


def _as_json(annotation: Any) -> Any:
    """A command field's type as a request body takes it: its booleans, integers, dates and moments as
    their JSON Schema says (see above), also when optional."""
    if isinstance(annotation, type) and annotation in _JSON_TYPES:
        return _JSON_TYPES[annotation]
    if get_origin(annotation) in (Union, UnionType):
        return Union[tuple(_as_json(arg) for arg in get_args(annotation))]  # noqa: UP007
    return annotation


class _MirrorsCommand(ModelMetaclass):
    """Gives a :class:`CommandBody` the fields of the command it ``mirrors``, at class creation, so the
    type checker, FastAPI and OpenAPI see an ordinary model."""

    def __new__(
        mcs, name: str, bases: tuple[type[Any], ...], namespace: dict[str, Any], **kwargs: Any
    ) -> type:
        command = namespace.get("mirrors")
        if command is not None:
            namespace["__annotations__"] = _mirrored(command, namespace)
        return super().__new__(mcs, name, bases, namespace, **kwargs)


def _mirrored(command: type[BaseModel], namespace: dict[str, Any]) -> dict[str, Any]:
    """The body's annotations: the command's fields in the command's order, except those the server fills
    in; a field the body declares itself (to describe or check it further) keeps its declaration."""
    declared: dict[str, Any] = dict(namespace.get("__annotations__", {}))
    filled = SERVER_FILLED | namespace.get("filled_in", frozenset())
    unknown = (set(declared) - {"mirrors", "filled_in"}) - set(command.model_fields)
    if unknown:
        raise TypeError(f"{namespace['__qualname__']} declares {sorted(unknown)}, not fields of {command}")
    annotations: dict[str, Any] = {}
    for field, info in command.model_fields.items():
        if field in declared:
            annotations[field] = declared.pop(field)
        elif field not in filled:
            annotations[field] = _as_json(info.annotation)
            namespace[field] = FieldInfo.merge_field_infos(info)
    return {**declared, **annotations}


class CommandBody(ContractModel, metaclass=_MirrorsCommand):
    """A request body made of a command's own fields: set ``mirrors`` to the command (and ``filled_in`` to
    any further fields the server fills in). A field added to the command is in the body at once, with
    the command's type and constraints, so the two cannot drift apart; the command's cross-field checks
    run when the route builds the command. Frozen, strict about unknown fields, and its errors never
    carry the submitted value."""

    mirrors: ClassVar[type[BaseModel] | None] = None
    filled_in: ClassVar[frozenset[str]] = frozenset()
