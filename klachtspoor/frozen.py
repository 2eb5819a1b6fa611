"""``replace`` for the frozen dataclasses that folds copy once or twice per event.

:func:`dataclasses.replace` walks the class's fields in Python on every call and passes every value by
keyword; a fold over a million events (a rebuild) spends a quarter of its time there. This one reads
every field at once (:func:`operator.attrgetter`, in C), puts the changes in their places and builds the
copy from the values in field order. A class whose fields cannot all be passed by position (an
``init=False`` or keyword-only field, an ``InitVar``) takes :func:`dataclasses.replace` itself.

How the copy is built depends on what the class's ``__init__`` would do. A frozen dataclass's generated
``__init__`` sets each field through ``object.__setattr__``, a slow call per field (a case state has 30).
When that is all it does (slots, the generated ``__init__``, no ``__post_init__``), the copy is made the
way ``copy`` would: a new instance whose slots are set directly, one straight-line function per class
written once (as :mod:`dataclasses` writes ``__init__``), about twice as fast. The values and so the copy
are the same. Any other class is called with the values, so its ``__init__`` and ``__post_init__`` run.

For the type checker this *is* :func:`dataclasses.replace`, so each call is still checked against the
fields.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable, Mapping
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar

_T = TypeVar("_T")


@dataclasses.dataclass(frozen=True, slots=True)
class _Layout:
    values: Callable[[Any], tuple[Any, ...]]
    """Every field's value of an instance, in field order."""
    index: Mapping[str, int]
    make: Callable[..., Any]
    """A new instance from every field's value in field order."""


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
    index = {name: place for place, name in enumerate(names)}
    make = _slot_maker(cls, names) or cls
    if len(names) == 1:
        getter = attrgetter(names[0])
        return _Layout(lambda obj: (getter(obj),), index, make)
    return _Layout(attrgetter(*names), index, make)


def _slot_maker(cls: type[Any], names: tuple[str, ...]) -> Callable[..., Any] | None:
    """A function that builds an instance of ``cls`` from its field values by setting its slots; None
    when calling ``cls`` could do more than that (no slots, an ``__init__`` of its own, a
    ``__post_init__``)."""
    if hasattr(cls, "__post_init__") or getattr(cls.__init__, "__code__", None) is None:
        return None
    if cls.__init__.__code__.co_filename != "<string>":  # not the __init__ dataclasses wrote
        return None
    slots: list[Any] = [getattr(cls, name, None) for name in names]
    if not all(isinstance(slot, types.MemberDescriptorType) for slot in slots):
        return None
    scope: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    lines = [f"def make({', '.join(f'v{place}' for place in range(len(names)))}):", "    obj = _new(_cls)"]
    for place, slot in enumerate(slots):
        scope[f"_set{place}"] = slot.__set__
        lines.append(f"    _set{place}(obj, v{place})")
    lines.append("    return obj")
    exec("\n".join(lines), scope)  # the code is made of field positions only
    maker: Callable[..., Any] = scope["make"]
    return maker


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
    copy: _T = layout.make(*values)
    return copy


if TYPE_CHECKING:
    from dataclasses import replace as replace
else:
    replace = _replace
