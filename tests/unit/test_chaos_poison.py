"""The run's poisoned event is one this release cannot read: the version past the current one."""

from __future__ import annotations

import uuid

import pytest

from contracts.errors import UnknownSchemaVersion
from contracts.registry import current_version, parse_event
from klachtspoor_devtools.chaos.poison import POISON_TYPE, poison_event


def test_the_poisoned_event_has_a_schema_version_this_release_does_not_know() -> None:
    case_id = uuid.uuid4()
    event = poison_event("demo", case_id)
    assert (event.type, event.tenant, event.metadata["case_id"]) == (POISON_TYPE, "demo", str(case_id))
    assert event.schema_version == current_version(POISON_TYPE) + 1
    with pytest.raises(UnknownSchemaVersion):
        parse_event(event.type, event.schema_version, event.data)
    assert poison_event("demo", case_id).event_id != event.event_id
