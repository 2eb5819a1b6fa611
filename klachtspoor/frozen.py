"""``replace`` for the frozen dataclasses that folds copy once or twice per event.

:func:`dataclasses.replace` walks the class's fields in Python on every call and passes every value by
keyword; a fold over a million events (a rebuild) spends a quarter of its time there. This one reads
every field at once (:func:`operator.attrgetter`, in C), puts the changes in their places and calls the
class with the values in field order: the same ``__init__`` (and ``__post_init__``) runs with the same
values, so the copy is the same. A class whose fields cannot all be passed by position (an ``init=False``
or keyword-only field, an ``InitVar``) takes :func:`dataclasses.replace` itself.

For the type checker this *is* :func:`dataclasses.replace`, so each call is checked against the fields.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar

_T = TypeVar("_T")


@dataclasses.dataclass(frozen=True, slots=True)
class _Layout:
    values: Callable[[Any], tuple[Any, ...]]
    """Every field's value of an instance, in field order."""
    index: Mapping[str, int]


_LAYOUTS: dict[type[Any], _Layout | None] = {}


def _layout(cls: type[Any]) -> _Layout | None:
    """How to copy ``cls`` by position, worked out once per class."""
    try:
        return _LAYOUTS[cls]
    except KeyError:
        layout = _LAYOUTS[cls] = _layout_of(cls)
        return layout


def _layout_of(cls: type[Any]) -> _Layout | None:
    """None when only :func:`dataclasses.replace` can copy ``cls``."""
    declared = cls.__dict__.get("__dataclass_fields__")
    if not declared:
        return None
    fields = dataclasses.fields(cls)
    if len(fields) != len(declared) or any(not f.init or f.kw_only for f in fields):
        return None  # an InitVar or ClassVar pseudo-field, or a field not passed by position
    names = tuple(f.name for f in fields)
    if len(names) == 1:
        getter = attrgetter(names[0])
        return _Layout(lambda obj: (getter(obj),), {names[0]: 0})
    return _Layout(attrgetter(*names), {name: place for place, name in enumerate(names)})


def _replace(obj: _T, /, **changes: Any) -> _T:
    kind: type[Any] = type(obj)
    layout = _layout(kind)
    if layout is None:
        return dataclasses.replace(obj, **changes)  # type: ignore[type-var]
    values = list(layout.values(obj))
    for name, value in changes.items():
        place = layout.index.get(name)
        if place is None:
            raise TypeError(f"{kind.__qualname__} has no field {name!r} to replace")
        values[place] = value
    copy: _T = kind(*values)
    return copy


if TYPE_CHECKING:
    from dataclasses import replace as replace
else:
    replace = _replace
