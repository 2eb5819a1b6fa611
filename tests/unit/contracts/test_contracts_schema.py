"""The committed JSON Schemas and the docs catalogue must match the code; the CLI is a thin wrapper."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contracts.events import EVENT_CLASSES, JudgementGiven
from contracts.personal import personal_paths
from contracts.schema import (
    CATALOGUE_END,
    CATALOGUE_START,
    SCHEMA_DIR,
    catalogue,
    event_schema_path,
    export_schemas,
    stale_schemas,
    with_catalogue,
    write_schemas,
)
from klachtspoor.cli.contracts import app

DOCS = Path(__file__).resolve().parents[3] / "docs" / "contracts.md"
RUN_EXPORT = "run `klachtspoor contracts export` and commit contracts/schemas/ and docs/contracts.md"


def test_committed_schemas_are_up_to_date() -> None:
    problems = stale_schemas(SCHEMA_DIR)
    assert not problems, f"Stale JSON Schemas ({', '.join(problems)}): {RUN_EXPORT}"


def test_docs_catalogue_is_up_to_date() -> None:
    document = DOCS.read_text(encoding="utf-8")
    assert with_catalogue(document) == document, f"The catalogue in docs/contracts.md is stale: {RUN_EXPORT}"


def test_export_is_stable_sorted_and_ends_with_a_newline() -> None:
    first, second = export_schemas(), export_schemas()
    assert first == second
    assert list(first) == sorted(first)
    for path, text in first.items():
        assert text.endswith("}\n"), path
        assert json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n" == text


def test_every_event_command_and_the_envelope_has_a_schema() -> None:
    files = export_schemas()
    assert {event_schema_path(cls) for cls in EVENT_CLASSES} <= set(files)
    assert "events/JudgementGiven.v3.json" in files and "events/SignalReceived.v1.json" in files
    assert "commands/FileComplaint.json" in files and "envelope.json" in files
    for cls in EVENT_CLASSES:
        schema = json.loads(files[event_schema_path(cls)])
        assert schema["x-event-type"] == cls.event_type
        assert schema["x-schema-version"] == cls.schema_version
        assert schema["x-personal-paths"] == [".".join(p) for p in personal_paths(cls)]
        assert schema["additionalProperties"] is False


def test_stale_schemas_reports_changed_missing_and_unexpected_files(tmp_path: Path) -> None:
    assert len(write_schemas(tmp_path)) == len(export_schemas())
    assert stale_schemas(tmp_path) == []
    assert write_schemas(tmp_path) == []
    (tmp_path / "envelope.json").write_text("{}\n", encoding="utf-8")
    (tmp_path / "commands" / "FileComplaint.json").unlink()
    (tmp_path / "events" / "Invented.v1.json").write_text("{}\n", encoding="utf-8")
    assert stale_schemas(tmp_path) == [
        "missing commands/FileComplaint.json",
        "changed envelope.json",
        "unexpected events/Invented.v1.json",
    ]


def test_older_versions_of_a_known_event_are_kept_as_history(tmp_path: Path) -> None:
    write_schemas(tmp_path)
    history = tmp_path / "events" / "JudgementGiven.v1.json"
    history.write_text("{}\n", encoding="utf-8")
    future = tmp_path / "events" / f"JudgementGiven.v{JudgementGiven.schema_version + 1}.json"
    future.write_text("{}\n", encoding="utf-8")
    assert stale_schemas(tmp_path) == [f"unexpected events/{future.name}"]
    write_schemas(tmp_path)
    assert history.exists() and not future.exists()


def test_catalogue_lists_every_event_with_a_meaning() -> None:
    entries = catalogue()
    assert [e.type for e in entries] == [cls.event_type for cls in EVENT_CLASSES]
    assert all(e.meaning and not e.meaning.startswith(" ") for e in entries)


def test_with_catalogue_needs_the_markers() -> None:
    text = f"intro\n{CATALOGUE_START}\nSTALE-ROW\n{CATALOGUE_END}\nrest\n"
    refreshed = with_catalogue(text)
    assert (
        "STALE-ROW" not in refreshed
        and "`SignalReceived`" in refreshed
        and refreshed.endswith(f"{CATALOGUE_END}\nrest\n")
    )
    with pytest.raises(ValueError, match="catalogue markers not found"):
        with_catalogue("no markers")


def test_cli_list_and_export(tmp_path: Path) -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["list"])
    assert listed.exit_code == 0, listed.output
    for cls in EVENT_CLASSES:
        assert cls.event_type in listed.output
    assert "complainant.email" in listed.output
    assert "| `JudgementGiven` | 3 |" in runner.invoke(app, ["list", "--markdown"]).output

    stale = runner.invoke(app, ["export", "--out", str(tmp_path), "--check"])
    assert stale.exit_code == 1 and "klachtspoor contracts export" in stale.output
    written = runner.invoke(app, ["export", "--out", str(tmp_path)])
    assert written.exit_code == 0, written.output
    assert (tmp_path / "events" / "SignalReceived.v1.json").exists()
    assert runner.invoke(app, ["export", "--out", str(tmp_path), "--check"]).exit_code == 0
