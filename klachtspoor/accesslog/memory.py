"""In-memory access log, for unit tests: the same behaviour as PostgreSQL, held to the same suite.

Records live in one dict by id, which keeps them in recorded order; nothing offers to change or remove
one, which is the whole of append-only here (the PostgreSQL adapter enforces it against SQL too).
"""

from __future__ import annotations

from uuid import UUID

from klachtspoor.accesslog.errors import AccessLogUnavailable, AccessRecordConflict
from klachtspoor.accesslog.port import AccessLog
from klachtspoor.accesslog.record import AccessRecord


class InMemoryAccessLog(AccessLog):
    def __init__(self) -> None:
        self._by_id: dict[UUID, AccessRecord] = {}
        self._closed = False

    async def _append(self, entry: AccessRecord) -> None:
        self._check_open()
        stored = self._by_id.get(entry.record_id)
        if stored is not None:
            if stored != entry:
                raise AccessRecordConflict(entry.record_id)
            return
        self._by_id[entry.record_id] = entry

    async def for_case(self, tenant: str, case_id: UUID) -> list[AccessRecord]:
        self._check_open()
        return [r for r in self._by_id.values() if r.tenant == tenant and r.case_id == case_id]

    async def for_subject(self, tenant: str, subject: str) -> list[AccessRecord]:
        self._check_open()
        return [r for r in self._by_id.values() if r.tenant == tenant and r.subject == subject]

    async def close(self) -> None:
        self._closed = True

    def _check_open(self) -> None:
        if self._closed:
            raise AccessLogUnavailable("The in-memory access log is closed")
