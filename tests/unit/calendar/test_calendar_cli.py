"""``klachtspoor calendar add`` and ``klachtspoor calendar holidays`` through typer's CliRunner."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from klachtspoor.cli.main import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("day", "term", "expected"),
    [
        ("2027-05-04", "1wd", "2027-05-10"),
        ("2026-01-31", "1m", "2026-03-02"),
        ("2026-03-27", "1w", "2026-04-07"),
        ("2026-04-06", "6w", "2026-05-18"),
        ("2026-12-18", "10d", "2026-12-28"),
        ("2026-04-02", "24h", "2026-04-03"),
        ("2028-02-29", "1y", "2029-02-28"),
        ("2026-05-13", "2WD", "2026-05-19"),
    ],
)
def test_add_prints_the_iso_due_date(day: str, term: str, expected: str) -> None:
    result = runner.invoke(app, ["calendar", "add", day, term])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{expected}\n"


def test_explain_gives_the_reasoning() -> None:
    result = runner.invoke(app, ["calendar", "add", "2027-05-04", "1wd", "--explain"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "2027-05-10"
    assert "1 working day from 2027-05-04 (Tuesday)" in lines[1]
    assert lines[-1].strip() == "due date: 2027-05-10 (Monday)"


def test_explain_names_the_atw_move() -> None:
    result = runner.invoke(app, ["calendar", "add", "2026-03-27", "1w", "--explain"])
    assert result.exit_code == 0, result.output
    assert "Atw art. 1: 2026-04-03 (Friday, Goede vrijdag)" in result.stdout
    assert "2026-04-06 (Monday, Tweede paasdag)" in result.stdout


def test_no_atw_leaves_the_counted_end() -> None:
    result = runner.invoke(app, ["calendar", "add", "2026-03-27", "1w", "--no-atw"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "2026-04-03\n"


def test_years_without_a_decree_warn_on_stderr() -> None:
    result = runner.invoke(app, ["calendar", "add", "2029-05-09", "1wd"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "2029-05-11\n"
    assert "2029" in result.stderr
    assert "decree" in result.stderr


@pytest.mark.parametrize(
    ("day", "term", "named"),
    [
        ("2026-13-01", "2wd", "2026-13-01"),
        ("yesterday", "2wd", "yesterday"),
        ("2026-05-13", "2x", "2x"),
        ("2026-05-13", "wd", "wd"),
        ("2026-05-13", "0d", "0d"),
        ("2026-05-13", "1001d", "1001d"),
        ("2026-05-13", "-2d", "-2d"),
        ("2300-01-02", "2wd", "2300"),
    ],
)
def test_bad_input_is_a_usage_error(day: str, term: str, named: str) -> None:
    result = runner.invoke(app, ["calendar", "add", "--", day, term])
    assert result.exit_code == 2
    assert named in result.stderr
    assert result.stdout == ""


def test_holidays_lists_the_days_of_a_year() -> None:
    result = runner.invoke(app, ["calendar", "holidays", "2027"])
    assert result.exit_code == 0, result.output
    assert "2027-05-05  Bevrijdingsdag" in result.stdout
    assert "2027-05-07  gelijkgestelde dag" in result.stdout
    assert result.stderr == ""


def test_holidays_warns_for_a_year_without_decree() -> None:
    result = runner.invoke(app, ["calendar", "holidays", "2029"])
    assert result.exit_code == 0, result.output
    assert "2029-05-05  Bevrijdingsdag" in result.stdout
    assert "2029" in result.stderr
