"""An access record accepts only what the log may hold: names of what was shown (never values), an aware
time, a known role, a route template or command, and an outcome consistent with its status. Bad input is
the port's :class:`InvalidAccessRecord`, whose text never repeats the submitted value."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from klachtspoor.accesslog import AccessOutcome, AccessRecord, InvalidAccessRecord
from tests.accesslog_examples import AT, fields


def test_a_valid_record_is_frozen_and_kept_in_utc() -> None:
    amsterdam = timezone(timedelta(hours=1))
    entry = AccessRecord.of(**fields(at=AT.astimezone(amsterdam)))
    assert entry.at == AT and entry.at.tzinfo is UTC
    with pytest.raises(ValueError, match="frozen"):
        entry.subject = "staff-99"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"subject": ""}, "subject"),
        ({"subject": "jan.jansen@example.nl"}, "subject"),
        ({"at": datetime(2026, 3, 2, 10, 30)}, "at"),  # naive: the time under test
        ({"role": "superuser"}, "role"),
        ({"tenant": ""}, "tenant"),
        ({"case_id": "case-1"}, "case_id"),
        ({"shown": ("Jan Jansen, Dorpsstraat 1",)}, "shown"),
        ({"channel": "whatever"}, "channel"),
        ({"outcome": "peeked"}, "outcome"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_is_an_invalid_record_naming_the_field_not_the_value(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidAccessRecord, match=field) as raised:
        AccessRecord.of(**fields(**changes))
    for value in changes.values():
        if isinstance(value, str) and len(value) > 3:
            assert value not in str(raised.value)


@pytest.mark.parametrize(
    "changes",
    [
        {"outcome": AccessOutcome.REFUSED, "status": None, "shown": ()},
        {"outcome": AccessOutcome.REFUSED, "status": 200, "shown": ()},
        {"outcome": AccessOutcome.REFUSED, "status": 403},
        {"outcome": AccessOutcome.SERVED, "status": 503},
        {"outcome": AccessOutcome.SERVED, "role": None},
    ],
    ids=[
        "refused-without-status",
        "refused-with-200",
        "refused-but-shown",
        "served-with-503",
        "served-no-role",
    ],
)
def test_outcome_and_status_agree(changes: dict[str, Any]) -> None:
    with pytest.raises(InvalidAccessRecord):
        AccessRecord.of(**fields(**changes))


def test_a_command_and_a_refused_read_are_valid() -> None:
    replay = AccessRecord.of(**fields(channel="cli:replay", status=None))
    refused = AccessRecord.of(**fields(outcome="refused", status=503, shown=()))
    assert (replay.channel, refused.outcome, refused.shown) == ("cli:replay", AccessOutcome.REFUSED, ())


def test_a_refused_read_by_someone_without_a_role_in_the_tenant_is_valid() -> None:
    stranger = AccessRecord.of(**fields(outcome="refused", status=404, shown=(), role=None))
    assert stranger.role is None
