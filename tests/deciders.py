"""The one given-when-then helper of every decider's tests, after Oskar Dudycz's decider specification:

    spec(decide, evolve, initial_state).given(events).when(command).then(new_events)
    spec(decide, evolve, initial_state).given(events).when(command).then_rejects(rule)

``given`` folds the events with ``evolve`` from ``initial_state``; ``when`` decides the command on that
state; ``then`` compares what was decided with the expected events and returns it. A read model that
only evolves (no decide) uses ``.given(events).state``. Each service's tests build their spec once from
the service's own ``decide``, ``evolve`` and initial state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import reduce
from typing import Any, Generic, TypeVar

import pytest

S = TypeVar("S")
C = TypeVar("C")
E = TypeVar("E")
X = TypeVar("X", bound=BaseException)

Outcome = Sequence[Any] | tuple[type, ...] | StrEnum | type[BaseException]
"""What a table row expects: the new events, their types in order, a rule rejected, or an error raised."""


@dataclass(frozen=True)
class Spec(Generic[C, S, E]):
    decide: Callable[[C, S], Sequence[E]] | None
    evolve: Callable[[S, E], S]
    initial_state: S
    rejection: type[BaseException] = Exception
    """The error a decider rejects a command with; it names the refused rule in ``.rule``."""
    explains: Callable[[BaseException], object] | None = None
    """Checks that a rejection explains itself (e.g. has a detail for people), if the decider promises it."""

    def given(self, events: Iterable[E]) -> Given[C, S, E]:
        return Given(self, tuple(events))


@dataclass(frozen=True)
class Given(Generic[C, S, E]):
    spec: Spec[C, S, E]
    events: tuple[E, ...]

    @property
    def state(self) -> S:
        """The state after the given events, folded with ``evolve`` from the initial state."""
        return reduce(self.spec.evolve, self.events, self.spec.initial_state)

    def when(self, command: C) -> When[C, S, E]:
        return When(self, command)


@dataclass(frozen=True)
class When(Generic[C, S, E]):
    given: Given[C, S, E]
    command: C

    def decided(self) -> list[E]:
        decide = self.given.spec.decide
        assert decide is not None, "this spec has no decide: use .given(events).state"
        return list(decide(self.command, self.given.state))

    def then(self, expected: Iterable[E]) -> list[E]:
        """The command decides exactly ``expected`` (nothing, for an empty list); returns what it decided."""
        decided = self.decided()
        assert decided == list(expected)
        return decided

    def then_types(self, expected: tuple[type, ...]) -> list[E]:
        """The command decides events of these types, in this order (for walking a whole route)."""
        decided = self.decided()
        assert tuple(type(event) for event in decided) == expected
        return decided

    def then_rejects(self, rule: StrEnum) -> BaseException:
        """The command is rejected for ``rule`` and decides nothing at all."""
        with pytest.raises(self.given.spec.rejection) as rejected:
            self.decided()
        assert getattr(rejected.value, "rule", None) is rule, str(rejected.value)
        if self.given.spec.explains is not None:
            self.given.spec.explains(rejected.value)
        return rejected.value

    def then_raises(self, error: type[X]) -> X:
        """Deciding raises ``error`` (a decider's refusal that is not a rule's)."""
        with pytest.raises(error) as raised:
            self.decided()
        return raised.value

    def then_expects(self, outcome: Outcome) -> list[E]:
        """For tables whose rows expect either: events, their types, a rule rejected or an error raised."""
        if isinstance(outcome, StrEnum):
            self.then_rejects(outcome)
            return []
        if isinstance(outcome, type) and issubclass(outcome, BaseException):
            self.then_raises(outcome)
            return []
        if isinstance(outcome, tuple) and all(isinstance(item, type) for item in outcome):
            return self.then_types(outcome)
        return self.then(outcome)


def spec(
    decide: Callable[[C, S], Sequence[E]] | None,
    evolve: Callable[[S, E], S],
    initial_state: S,
    *,
    rejection: type[BaseException] = Exception,
    explains: Callable[[BaseException], object] | None = None,
) -> Spec[C, S, E]:
    """The specification of one decider (or, with ``decide`` None, of one read model's fold)."""
    return Spec(decide, evolve, initial_state, rejection, explains)
