"""Access records for the access log tests: a valid one, and variations of it by keyword."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from contracts.vocabulary import Role
from klachtspoor.accesslog import AccessOutcome, AccessRecord

TENANT = "jeugdzorg-noord"
OTHER_TENANT = "jeugdzorg-zuid"
CASE = uuid.UUID("3f2a9c1e-7b4d-4e8a-9c2f-1a2b3c4d5e6f")
OTHER_CASE = uuid.UUID("9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d")
FILE_ROUTE = "GET /v1/tenants/{tenant}/cases/{case_id}/file"
AT = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)


def fields(**changes: Any) -> dict[str, Any]:
    """The fields of a served case-file read by a complaints officer, with ``changes`` applied."""
    base: dict[str, Any] = {
        "record_id": uuid.uuid4(),
        "tenant": TENANT,
        "case_id": CASE,
        "subject": "staff-17",
        "role": Role.COMPLAINTS_OFFICER,
        "shown": ("complainant", "description", "judgement.reasoning"),
        "at": AT,
        "channel": FILE_ROUTE,
        "outcome": AccessOutcome.SERVED,
        "status": 200,
    }
    return base | changes


def record(n: int = 0, **changes: Any) -> AccessRecord:
    """A valid record ``n`` minutes after :data:`AT`."""
    return AccessRecord.of(**fields(at=AT + timedelta(minutes=n), **changes))


def refused(n: int = 0, **changes: Any) -> AccessRecord:
    """A read refused (with 403 unless ``changes`` say otherwise): it showed nothing."""
    return record(n, **({"outcome": AccessOutcome.REFUSED, "status": 403, "shown": ()} | changes))
