"""Errors of the access log port; the adapters translate driver errors into these.

A read of personal data is served only after its record is written, so callers need to tell "the log is
down" (answer 503: never served unlogged) from "the record is wrong" (a bug, or bad input: 4xx/500).
"""

from __future__ import annotations

from uuid import UUID


class AccessLogError(Exception):
    """Base of every error the access log raises."""


class AccessLogUnavailable(AccessLogError):
    """The log could not be reached, timed out or is closed: nothing was written; the read must be refused."""


class InvalidAccessRecord(AccessLogError, ValueError):
    """The record is not valid (empty or malformed subject, naive time, unknown role...): nothing is written.

    The message names fields and rules, never the submitted values."""


class AccessRecordConflict(AccessLogError):
    """A record with this id exists with other content: a retry must repeat the same record exactly."""

    def __init__(self, record_id: UUID) -> None:
        self.record_id = record_id
        super().__init__(f"Access record {record_id} exists with different content; it is never replaced")
