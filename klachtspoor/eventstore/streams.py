"""Stream names: ``{category}:{tenant}:{id}``. They name the tenant and never carry personal data."""

from __future__ import annotations

import re
from dataclasses import dataclass

from klachtspoor.eventstore.errors import InvalidStreamName
from klachtspoor.eventstore.port import TENANT_RE

_CATEGORY_RE = re.compile(r"[a-z][a-z0-9_]{0,40}")
_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,100}")


@dataclass(frozen=True, slots=True)
class StreamName:
    category: str
    tenant: str
    id: str

    def __post_init__(self) -> None:
        if not _CATEGORY_RE.fullmatch(self.category):
            raise InvalidStreamName(str(self), f"category {self.category!r} is not a lower-case word")
        if not TENANT_RE.fullmatch(self.tenant):
            raise InvalidStreamName(str(self), f"tenant {self.tenant!r} is not a slug")
        if not _ID_RE.fullmatch(self.id):
            raise InvalidStreamName(str(self), f"id {self.id!r} has characters outside [A-Za-z0-9_-]")

    def __str__(self) -> str:
        return f"{self.category}:{self.tenant}:{self.id}"

    @classmethod
    def parse(cls, text: str) -> StreamName:
        parts = text.split(":")
        if len(parts) != 3:
            raise InvalidStreamName(text, "expected category:tenant:id")
        return cls(*parts)

    @staticmethod
    def prefix(category: str, tenant: str | None = None) -> str:
        """Prefix for a global-log filter: every stream of a category, optionally of one tenant."""
        return f"{category}:" if tenant is None else f"{category}:{tenant}:"


def case_stream(tenant: str, case_id: str) -> str:
    return str(StreamName("case", tenant, case_id))


def contact_stream(tenant: str, contact_id: str) -> str:
    """The stream of a confidant's contact that is on no case: ``contact:<confidant organisation>:<id>``."""
    return str(StreamName("contact", tenant, contact_id))
