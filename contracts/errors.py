"""Errors of the contracts package.

They are not ``ValueError`` subclasses on purpose: pydantic turns a ``ValueError`` raised inside a
validator into a generic validation error, and callers (the event store, subscriptions, the poison-event
parking) need to tell an unknown type from a bad payload. Messages name the type, the version and the
offending fields, never the offending values: those may be personal data.
"""

from __future__ import annotations


class ContractError(Exception):
    """Base of every error raised by :mod:`contracts`."""


class UnknownEventType(ContractError):
    def __init__(self, type_name: str) -> None:
        self.type_name = type_name
        super().__init__(f"Unknown event type {type_name!r} (not in the contracts catalogue)")


class UnknownSchemaVersion(ContractError):
    def __init__(self, type_name: str, schema_version: int, current: int) -> None:
        self.type_name, self.schema_version, self.current = type_name, schema_version, current
        super().__init__(f"Unknown schema version {schema_version} of {type_name} (known: 1 to {current})")


class EventValidationError(ContractError):
    """A stored or submitted payload does not fit its event type, after upcasting."""

    def __init__(self, type_name: str, schema_version: int, problems: tuple[str, ...]) -> None:
        self.type_name, self.schema_version, self.problems = type_name, schema_version, problems
        super().__init__(f"Invalid {type_name} v{schema_version} payload: {'; '.join(problems)}")

    @property
    def fields(self) -> tuple[str, ...]:
        """The dotted paths of the bad fields, in the order pydantic reported them."""
        return tuple(problem.partition(": ")[0] for problem in self.problems)
