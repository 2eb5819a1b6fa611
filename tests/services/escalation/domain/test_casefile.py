"""The case file's role table, in code and in docs/casefile.md, and the pure view's own rules: the table
is the same in both places and covers every role; the reading order; every personal field of a step is
either named or shown in a section of its own; a confidant of the organisation's own reads its notes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import uuid4

from contracts.base import Actor
from contracts.envelope import Envelope
from contracts.events import EVENT_CLASSES, AnyEvent, ConfidantContactRegistered
from contracts.personal import personal_paths
from contracts.vocabulary import Channel, Role
from klachtspoor.codec import make_envelope
from services.escalation.domain.casefile import CASE_FILE_TABLE, READERS, READING_ORDER, Reader, case_file
from services.escalation.domain.casefile.steps import NOT_STEPS, SECTIONED, STEP_TEXT
from services.escalation.domain.casefile.table import CONFIDANT_NOTES, EVERY_NAME, reading_role
from services.escalation.domain.support.visibility import Viewer

DOC = Path(__file__).resolve().parents[4] / "docs" / "casefile.md"
TENANT = "jeugdzorg-noord"
CASE = uuid4()
EVERY_STEP = [cls for cls in EVENT_CLASSES if cls not in NOT_STEPS]


def _cells(line: str) -> list[str]:
    return [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]


def _documented() -> tuple[dict[Role, frozenset[str]], frozenset[Role]]:
    """The matrix of docs/casefile.md (name x reading role) and the roles of its "never read" table."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| name |"))
    roles = [Role(cell) for cell in _cells(lines[start])[1:]]
    rows: dict[Role, set[str]] = {role: set() for role in roles}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        name, *marks = _cells(line)
        for role, mark in zip(roles, marks, strict=True):
            assert mark in ("✓", "—"), f"{name}/{role.value}: {mark!r}"
            if mark == "✓":
                rows[role].add(name)
    never = next(i for i, line in enumerate(lines) if line.startswith("| role | why |"))
    silent: set[Role] = set()
    for line in lines[never + 2 :]:
        if not line.startswith("|"):
            break
        silent.add(Role(_cells(line)[0]))
    return {role: frozenset(names) for role, names in rows.items()}, frozenset(silent)


def test_the_documented_table_is_the_one_the_code_uses() -> None:
    rows, never = _documented()
    assert rows == {role: names for role, names in CASE_FILE_TABLE.items() if names}
    assert never == {role for role, names in CASE_FILE_TABLE.items() if not names}
    assert set(rows) | never == set(Role)
    assert set(CASE_FILE_TABLE) == set(Role)


def test_every_name_is_documented_and_well_formed() -> None:
    rows, _ = _documented()
    text = DOC.read_text(encoding="utf-8")
    for name in EVERY_NAME:
        assert re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*", name)
        assert f"| `{name}` |" in text
    assert set().union(*rows.values()) == set(EVERY_NAME)


def test_the_confidants_notes_are_in_the_confidants_row_alone() -> None:
    assert {role for role, names in CASE_FILE_TABLE.items() if CONFIDANT_NOTES in names} == {Role.CONFIDANT}
    assert "complainant.contact" not in CASE_FILE_TABLE[Role.CARE_WORKER]


def test_the_reading_order_holds_every_reader_once_and_never_prefers_a_role_that_sees_less() -> None:
    assert sorted(READING_ORDER) == sorted(READERS)
    for i, earlier in enumerate(READING_ORDER):
        for later in READING_ORDER[i + 1 :]:
            assert not CASE_FILE_TABLE[earlier] < CASE_FILE_TABLE[later], (earlier, later)
    assert reading_role(frozenset({Role.CARE_WORKER, Role.CONFIDANT, Role.DIRECTOR})) is Role.DIRECTOR
    assert reading_role(frozenset({Role.PRIVACY_OFFICER, Role.CLIENT})) is None


def test_every_personal_field_of_a_step_is_named_or_shown_in_its_own_section() -> None:
    for cls in EVERY_STEP:
        fields = {path[0] for path in personal_paths(cls)}
        unnamed = fields - set(STEP_TEXT.get(cls, {})) - SECTIONED.get(cls, frozenset())
        assert not unnamed, f"{cls.__name__}: decide who reads {sorted(unnamed)}"
    for mapping in STEP_TEXT.values():
        assert set(mapping.values()) <= set(EVERY_NAME)


def _envelope(event: AnyEvent, actor: Actor) -> Envelope:
    return make_envelope(
        event,
        event_id=uuid4(),
        tenant=TENANT,
        stream=f"case:{TENANT}:{CASE}",
        case_id=CASE,
        actor=actor,
        occurred_at=datetime(2026, 3, 5, 10, tzinfo=UTC),
        correlation_id=CASE,
    )


def _contact(confidant: str) -> Envelope:
    contact = ConfidantContactRegistered(
        contact_id=uuid4(),
        confidant_id=confidant,
        contacted_on=date(2026, 3, 5),
        channel=Channel.PHONE,
        anonymous=False,
        client_name="Voorbeeld Cliënt",
        summary="Wil praten.",
    )
    return _envelope(contact, Actor(id=confidant, role=Role.CONFIDANT))


def _reader(subject: str, organisation: str, *, own_confidant: bool) -> Reader:
    return Reader(
        viewer=Viewer(id=subject, role=Role.CONFIDANT, tenant=organisation),
        grants=CASE_FILE_TABLE[Role.CONFIDANT],
        case_tenant=TENANT,
        own_confidant=own_confidant,
    )


def test_a_confidant_inside_the_tenant_reads_its_notes_only_when_the_policy_names_its_own() -> None:
    envelopes = [_contact("vp-0001")]
    inside = case_file(CASE, envelopes, None, _reader("vp-0001", TENANT, own_confidant=True))
    not_own = case_file(CASE, envelopes, None, _reader("vp-0001", TENANT, own_confidant=False))

    assert inside.support is not None and inside.support.confidant is not None
    assert inside.support.confidant.contacts[0].summary == "Wil praten."
    assert CONFIDANT_NOTES in inside.shown
    assert not_own.support is not None and not_own.support.confidant is not None
    assert not_own.support.confidant.contacts[0].summary is None
    assert CONFIDANT_NOTES not in not_own.shown
