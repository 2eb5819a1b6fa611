"""The personal-data marker and the walk that finds marked fields.

Every field that can hold personal data (names, contact details, free text, notes) is annotated with
:class:`PersonalData`. The storage layer encrypts exactly the paths :func:`personal_paths` returns, with
the case's key; erasing the case deletes the key and readers see the field's mask instead. Keeping
personal fields ``str`` (or ``str | None``, or tuples of ``str``) is what lets a mask replace any value
and the event still validate.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, Field, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

DEFAULT_MASK = "[verwijderd]"

Path = tuple[str, ...]
"""Field names from the model root; ``"*"`` stands for every item of a list or tuple."""


@dataclass(frozen=True, slots=True)
class PersonalData:
    """Marks a field as personal data; ``mask`` is what readers see after the data was erased."""

    mask: str = DEFAULT_MASK

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["x-personal"] = True
        json_schema["x-mask"] = self.mask
        return json_schema


PersonalName = Annotated[str, PersonalData(), Field(min_length=1, max_length=200)]
"""A person's name (or how the complainant describes someone)."""
PersonalContact = Annotated[str, PersonalData(), Field(min_length=1, max_length=320)]
"""An e-mail address, phone number or similar; deliberately not format-checked, so a mask stays valid."""
PersonalText = Annotated[str, PersonalData(), Field(min_length=1, max_length=20_000)]
"""Free text: descriptions, notes, reasons, minutes."""


@dataclass(frozen=True, slots=True)
class PersonalField:
    path: Path
    marker: PersonalData


@cache
def personal_fields(model_cls: type[BaseModel]) -> tuple[PersonalField, ...]:
    """Every marked field of ``model_cls``, also inside nested models, optionals and sequences."""
    found: list[PersonalField] = []
    for name, info in model_cls.model_fields.items():
        marker = _marker(info.metadata)
        if marker is not None:
            found.append(PersonalField((name,), marker))
            continue
        found.extend(_walk(info.annotation, (name,), model_cls))
    return tuple(found)


def personal_paths(model_cls: type[BaseModel]) -> tuple[Path, ...]:
    """The paths of the marked fields of ``model_cls``, e.g. ``(("complainant", "name"), ("notes", "*"))``."""
    return tuple(field.path for field in personal_fields(model_cls))


def map_personal(
    data: Mapping[str, Any], paths: tuple[Path, ...], fn: Callable[[str], str]
) -> dict[str, Any]:
    """A copy of a JSON payload with ``fn`` applied to every string at ``paths`` (``None`` stays ``None``).

    The storage layer encrypts and decrypts with it; erasure replaces values with the mask.
    """
    result: dict[str, Any] = _copy(data)
    for path in paths:
        _apply(result, path, fn, path)
    return result


def _walk(annotation: Any, path: Path, owner: type[BaseModel]) -> list[PersonalField]:
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *metadata = get_args(annotation)
        marker = _marker(metadata)
        if marker is not None:
            return [PersonalField(path, marker)]
        return _walk(inner, path, owner)
    if origin is Union or origin is types.UnionType:
        found: dict[Path, PersonalField] = {}
        for arm in get_args(annotation):
            for field in _walk(arm, path, owner):
                found.setdefault(field.path, field)
        return list(found.values())
    if origin in (list, tuple, set, frozenset):
        return [
            f for arg in get_args(annotation) if arg is not Ellipsis for f in _walk(arg, (*path, "*"), owner)
        ]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and annotation is not owner:
        return [PersonalField((*path, *f.path), f.marker) for f in personal_fields(annotation)]
    return []


def _marker(metadata: Any) -> PersonalData | None:
    return next((m for m in metadata if isinstance(m, PersonalData)), None)


def _copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_copy(v) for v in value]
    return value


def _apply(node: Any, path: Path, fn: Callable[[str], str], full: Path) -> None:
    head, rest = path[0], path[1:]
    children: list[int] | list[str]
    if head == "*":
        children = list(range(len(node))) if isinstance(node, list) else []
    else:
        children = [head] if isinstance(node, dict) and head in node else []
    for key in children:
        if node[key] is None:
            continue
        if rest:
            _apply(node[key], rest, fn, full)
        elif isinstance(node[key], str):
            node[key] = fn(node[key])
        else:
            raise TypeError(f"Personal field {'.'.join(full)} holds {type(node[key]).__name__}, expected str")
