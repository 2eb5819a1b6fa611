"""The access log port: append a record, read them per case or per person.

Adapters: PostgreSQL (:mod:`klachtspoor.accesslog.postgres`, append-only by triggers) and in memory
(:mod:`klachtspoor.accesslog.memory`, for unit tests). Both are held to one conformance suite.

:meth:`AccessLog.record` validates the record again before handing it to the adapter, so a record built
with ``model_construct`` (skipping validation) cannot slip a value or a naive time into the log either.
Reads return records in the order they were recorded, which is the order a privacy officer reads them in.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from uuid import UUID

from klachtspoor.accesslog.errors import InvalidAccessRecord
from klachtspoor.accesslog.record import AccessRecord


class AccessLog(ABC):
    async def record(self, entry: AccessRecord) -> None:
        """Append ``entry``. Writing the same record again (same id, same content) is a no-op; the same id
        with other content raises :class:`~klachtspoor.accesslog.errors.AccessRecordConflict`.

        Raises :class:`InvalidAccessRecord` for bad input (nothing written) and
        :class:`~klachtspoor.accesslog.errors.AccessLogUnavailable` when the log cannot be written.
        """
        if not isinstance(entry, AccessRecord):
            raise InvalidAccessRecord(f"Expected an AccessRecord, got {type(entry).__name__}")
        await self._append(AccessRecord.of(**dict(entry)))

    @abstractmethod
    async def _append(self, entry: AccessRecord) -> None:
        """Store a validated record unless its id is stored; compare the content when it is."""

    @abstractmethod
    async def for_case(self, tenant: str, case_id: UUID) -> list[AccessRecord]:
        """Who looked at this case (and what they saw), in recorded order."""

    @abstractmethod
    async def for_subject(self, tenant: str, subject: str) -> list[AccessRecord]:
        """What this person looked at in this tenant, in recorded order."""

    @abstractmethod
    async def close(self) -> None:
        """Release connections. The log is unusable afterwards (every call raises AccessLogUnavailable)."""
