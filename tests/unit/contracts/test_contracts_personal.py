"""The personal-data marker: which paths are found, and that every event survives erasure to masks."""

from __future__ import annotations

import json
from typing import Annotated

import pytest
from command_examples import COMMAND_EXAMPLES
from contract_examples import EVENT_EXAMPLES
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, Field

from contracts.base import ContractModel, Event
from contracts.envelope import Envelope
from contracts.events import EVENT_CLASSES, CaseReferenceAssigned, JudgementGiven, SignalReceived
from contracts.personal import (
    DEFAULT_MASK,
    PersonalData,
    PersonalText,
    map_personal,
    personal_fields,
    personal_paths,
)
from contracts.registry import dump_event, parse_event, personal_paths_of


class Note(ContractModel):
    text: PersonalText
    author_id: str


class Nested(ContractModel):
    title: str
    secret: Annotated[str, PersonalData(mask="***")]
    note: Note | None = None
    notes: tuple[Note, ...] = ()
    tags: list[PersonalText | None] = Field(default_factory=list)
    either: int | PersonalText = 0


def test_nested_optional_and_sequence_fields_are_found() -> None:
    assert personal_paths(Nested) == (
        ("secret",),
        ("note", "text"),
        ("notes", "*", "text"),
        ("tags", "*"),
        ("either",),
    )
    assert {f.path: f.marker.mask for f in personal_fields(Nested)}[("secret",)] == "***"


def test_paths_of_catalogue_events() -> None:
    assert personal_paths(SignalReceived) == (
        ("complainant", "name"),
        ("complainant", "email"),
        ("complainant", "phone"),
        ("complainant", "postal_address"),
        ("about", "name"),
        ("description",),
    )
    assert personal_paths(JudgementGiven) == (("reasoning",), ("recommendations", "*"))
    assert personal_paths(CaseReferenceAssigned) == ()
    assert personal_paths_of("JudgementGiven") == personal_paths(JudgementGiven)


def test_the_envelope_holds_personal_data_only_inside_the_event() -> None:
    paths = personal_paths(Envelope)
    assert paths and all(path[0] == "event" for path in paths)
    assert ("event", "complainant", "name") in paths


def test_map_personal_touches_exactly_the_marked_values_and_copies() -> None:
    data = {
        "title": "t",
        "secret": "s",
        "note": None,
        "notes": [{"text": "a", "author_id": "u"}, {"text": "b", "author_id": "v"}],
        "tags": ["x", None],
    }
    before = json.loads(json.dumps(data))
    result = map_personal(data, personal_paths(Nested), str.upper)
    assert result == {
        "title": "t",
        "secret": "S",
        "note": None,
        "notes": [{"text": "A", "author_id": "u"}, {"text": "B", "author_id": "v"}],
        "tags": ["X", None],
    }
    assert data == before


def test_map_personal_refuses_a_non_string_at_a_marked_path() -> None:
    with pytest.raises(TypeError, match=r"Personal field notes\.\*\.text holds int"):
        map_personal({"notes": [{"text": 3}]}, (("notes", "*", "text"),), str.upper)


@pytest.mark.parametrize("event", EVENT_EXAMPLES, ids=lambda e: e.event_type)
def test_every_event_stays_valid_when_all_personal_fields_are_masked(event: Event) -> None:
    """Erasure replaces every personal value by its mask; the event must still parse."""
    paths = personal_paths(type(event))
    masked = map_personal(dump_event(event), paths, lambda _: DEFAULT_MASK)
    parsed = parse_event(event.event_type, event.schema_version, masked)
    assert map_personal(dump_event(parsed), paths, lambda _: "") == map_personal(
        dump_event(event), paths, lambda _: ""
    )
    leftover = json.dumps(dump_event(parsed))
    for value in _personal_values(dump_event(event), paths):
        assert value not in leftover, f"{value!r} survived masking of {event.event_type}"


def test_examples_fill_every_personal_field() -> None:
    """So the masking test above really covers every marked field."""
    for event in EVENT_EXAMPLES:
        filled = len(_personal_values(dump_event(event), personal_paths(type(event))))
        assert filled >= len(personal_paths(type(event))), event.event_type


def test_every_event_class_is_covered_by_the_personal_walk() -> None:
    for cls in EVENT_CLASSES:
        for path in personal_paths(cls):
            assert path and all(isinstance(part, str) for part in path)


def test_command_personal_fields_are_marked_too() -> None:
    submit = type(COMMAND_EXAMPLES[0])
    assert ("description",) in personal_paths(submit)
    assert ("complainant", "email") in personal_paths(submit)


@given(st.lists(st.one_of(st.none(), st.text(max_size=20)), max_size=5), st.text(max_size=20))
def test_map_personal_is_reversible_with_a_reversible_function(tags: list[str | None], secret: str) -> None:
    data = {"title": "t", "secret": secret, "tags": tags}
    paths = personal_paths(Nested)
    there = map_personal(data, paths, lambda s: s[::-1] + "!")
    back = map_personal(there, paths, lambda s: s[:-1][::-1])
    assert back == data


def _personal_values(data: dict[str, object], paths: tuple[tuple[str, ...], ...]) -> list[str]:
    found: list[str] = []

    def collect(value: str) -> str:
        found.append(value)
        return value

    map_personal(data, paths, collect)
    return found


def test_marker_is_visible_in_json_schema() -> None:
    schema: dict[str, object] = SignalReceived.model_json_schema()
    description = schema["properties"]["description"]  # type: ignore[index]
    assert description["x-personal"] is True and description["x-mask"] == DEFAULT_MASK


def test_models_without_marks_have_no_paths() -> None:
    class Plain(BaseModel):
        a: int
        b: list[str]

    assert personal_paths(Plain) == ()
