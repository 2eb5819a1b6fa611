"""Who reads the file, and the models of the answer: frozen, with errors that never quote a value."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from services.escalation.domain.support.visibility import Viewer


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)


@dataclass(frozen=True, slots=True)
class Reader:
    """The reader as a view is built for: the viewer (subject, the role read in, the organisation it acts
    for), what that role may see (its row of the table), the case's tenant and whether the case's policy
    has a confidant of the organisation's own (then that confidant works inside the tenant)."""

    viewer: Viewer
    grants: frozenset[str]
    case_tenant: str
    own_confidant: bool = False

    def may(self, name: str) -> bool:
        return name in self.grants


class Shown:
    """Collects the names of what a view actually showed, for the answer and the access log."""

    def __init__(self) -> None:
        self._names: set[str] = set()

    def add(self, name: str) -> None:
        self._names.add(name)

    def names(self, order: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(name for name in order if name in self._names)
