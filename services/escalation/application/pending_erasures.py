"""The port for erasures begun and not yet recorded: written before a case's key is shredded, removed once
``PersonalDataErased`` is appended.

Why: shredding and appending are two stores, so a process can die (or the event store be away) between
them. The key is then gone, the case's personal fields already read as masks, but the log does not yet
say who erased the case and why. The timer's erasures are tried again by the timer anyway; a privacy
officer's request would be finished only if the officer sent it again. With the begun command kept, the
deadline timer finishes every such erasure itself, with the same command (so the same event ids: one
``PersonalDataErased`` whoever finishes it). Adapters: PostgreSQL (``adapters/pending_erasures.py``) and
in memory for unit tests.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime

from services.escalation.domain import ErasureCommand


class PendingErasures(ABC):
    @abstractmethod
    async def begin(self, command: ErasureCommand) -> None:
        """Keep ``command`` as begun; beginning the same command twice keeps it once."""

    @abstractmethod
    async def finished(self, command: ErasureCommand) -> None:
        """Forget ``command`` (its event is appended, or it can never be); harmless when not kept."""

    @abstractmethod
    async def begun_before(self, moment: datetime, *, limit: int) -> list[ErasureCommand]:
        """The commands begun before ``moment``, oldest first, at most ``limit``."""


class MemoryPendingErasures(PendingErasures):
    """In memory, for unit tests and tools that need no durability."""

    def __init__(self) -> None:
        self.kept: dict[tuple[str, str, str], tuple[datetime, ErasureCommand]] = {}

    async def begin(self, command: ErasureCommand) -> None:
        self.kept.setdefault(_key(command), (command.now, command))

    async def finished(self, command: ErasureCommand) -> None:
        self.kept.pop(_key(command), None)

    async def begun_before(self, moment: datetime, *, limit: int) -> list[ErasureCommand]:
        begun = sorted((at, str(command.command_id), command) for at, command in self.kept.values())
        return [command for at, _, command in begun if at < moment][:limit]


def _key(command: ErasureCommand) -> tuple[str, str, str]:
    return command.tenant, str(command.case_id), str(command.command_id)
