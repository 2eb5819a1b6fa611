"""klachtspoor.frozen.replace: the copy dataclasses.replace makes, by a shorter way."""

from __future__ import annotations

import dataclasses
from dataclasses import InitVar, dataclass, field

import pytest

from klachtspoor.frozen import _layout, replace


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    count: int = 0
    tags: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.count < 0:
            raise ValueError("count below zero")


@dataclass(frozen=True)
class Single:
    only: int


@dataclass(frozen=True)
class Derived:
    base: int
    twice: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "twice", self.base * 2)


@dataclass(frozen=True)
class Seeded:
    value: int
    seed: InitVar[int] = 0


@dataclass(frozen=True, kw_only=True)
class Keywords:
    a: int
    b: int = 1


def test_the_copy_is_the_one_dataclasses_replace_makes() -> None:
    row = Row("a", 2, frozenset({"x"}))
    assert replace(row, count=3) == dataclasses.replace(row, count=3) == Row("a", 3, frozenset({"x"}))
    assert replace(row) == row and replace(row) is not row
    assert replace(row, name="b", tags=frozenset()) == Row("b", 2)
    assert row == Row("a", 2, frozenset({"x"}))  # the original is untouched
    assert replace(Single(1), only=2) == Single(2)


def test_post_init_checks_the_copy() -> None:
    with pytest.raises(ValueError, match="below zero"):
        replace(Row("a"), count=-1)


def test_a_field_the_class_does_not_have_is_refused() -> None:
    with pytest.raises(TypeError, match="no field 'cuont'"):
        replace(Row("a"), cuont=1)  # type: ignore[call-arg]


def test_classes_not_copied_by_position_take_dataclasses_replace() -> None:
    assert _layout(Derived) is None and _layout(Seeded) is None and _layout(Keywords) is None
    assert replace(Derived(2), base=5).twice == 10
    assert replace(Seeded(1, 3), value=4, seed=9) == Seeded(4)
    assert replace(Keywords(a=1), b=5) == Keywords(a=1, b=5)
    with pytest.raises(ValueError, match="init=False"):
        replace(Derived(2), twice=1)


@dataclass(frozen=True, slots=True)
class Plain:
    name: str
    count: int = 0
    tags: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class Wider(Plain):
    extra: str = "-"


@dataclass(frozen=True, slots=True)
class Counted:
    value: int

    def __init__(self, value: int) -> None:
        object.__setattr__(self, "value", value + 1)


@dataclass(frozen=True)
class Unslotted:
    value: int


def test_a_slotted_class_without_post_init_is_copied_by_setting_its_slots() -> None:
    plain = Plain("a", 1, frozenset({"x"}))
    layout = _layout(Plain)
    assert layout is not None and layout.make is not Plain
    copy = replace(plain, count=2)
    assert type(copy) is Plain and copy == dataclasses.replace(plain, count=2) == Plain(
        "a", 2, frozenset({"x"})
    )
    assert plain == Plain("a", 1, frozenset({"x"}))
    with pytest.raises(dataclasses.FrozenInstanceError):
        copy.count = 3  # type: ignore[misc]
    wider = replace(Wider("b", extra="y"), name="c")
    assert type(wider) is Wider and wider == Wider("c", 0, frozenset(), "y")
    assert hash(replace(plain)) == hash(plain)


def test_classes_whose_init_does_more_are_called() -> None:
    assert _layout(Row).make is Row  # type: ignore[union-attr]  # __post_init__
    assert _layout(Counted).make is Counted  # type: ignore[union-attr]  # an __init__ of its own
    assert _layout(Unslotted).make is Unslotted  # type: ignore[union-attr]  # no slots
    assert replace(Counted(1), value=5) == Counted(5) and Counted(5).value == 6
    assert replace(Unslotted(1), value=2) == Unslotted(2)
