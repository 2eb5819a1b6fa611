"""Command groups other distributions register under ``klachtspoor.commands`` join the ``klachtspoor``
command: listed in its help after the built-in ones, run like them, loaded only when used."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import EntryPoint

import pytest
import typer
from typer.testing import CliRunner

from klachtspoor.cli import main
from klachtspoor.cli.main import COMMANDS_GROUP, app

greeting = typer.Typer(no_args_is_help=True, help="Say hello (a registered group).")
not_a_group = "a string, not a typer.Typer"
said: list[str] = []


def shout(word: str, twice: bool = False) -> None:
    """Shout a word (a registered command)."""
    said.append(word)
    typer.echo(word.upper() * (2 if twice else 1))


loaded: list[str] = []


@greeting.command()
def hello(name: str) -> None:
    loaded.append(name)
    typer.echo(f"hello {name}")


def registered(**targets: str) -> dict[str, EntryPoint]:
    return {
        name: EntryPoint(name=name, value=f"{__name__}:{target}", group=COMMANDS_GROUP)
        for name, target in targets.items()
    }


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_a_registered_group_is_listed_after_the_built_in_ones_and_runs(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(main, "registered_groups", lambda: registered(greet="greeting"))
    listing = runner.invoke(app, ["--help"])
    assert listing.exit_code == 0, listing.output
    assert "Say hello (a registered group)." in listing.output
    assert listing.output.index("policies") < listing.output.index("greet")

    result = runner.invoke(app, ["greet", "hello", "world"])
    assert result.exit_code == 0, result.output
    assert result.output == "hello world\n"
    assert loaded[-1] == "world"


def test_a_registered_function_is_one_command_of_its_entry_name(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(main, "registered_groups", lambda: registered(yell="shout"))
    listing = runner.invoke(app, ["--help"])
    assert "Shout a word (a registered command)." in listing.output

    result = runner.invoke(app, ["yell", "hoi", "--twice"])
    assert result.exit_code == 0, result.output
    assert result.output == "HOIHOI\n"
    assert said[-1] == "hoi"


def test_a_built_in_group_wins_over_a_registered_one_of_the_same_name(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(main, "registered_groups", lambda: registered(calendar="greeting"))
    listing = runner.invoke(app, ["--help"])
    assert listing.output.count("│ calendar ") == 1
    assert "Say hello" not in listing.output
    assert "hello" not in runner.invoke(app, ["calendar", "--help"]).output


def test_a_registered_entry_that_is_not_a_typer_app_is_named_in_the_error(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(main, "registered_groups", lambda: registered(broken="not_a_group"))
    result = runner.invoke(app, ["broken"])
    assert isinstance(result.exception, TypeError)
    assert f"{__name__}:not_a_group" in str(result.exception)
    assert "neither a typer.Typer nor a function" in str(result.exception)


def test_without_registered_groups_only_the_built_in_ones_exist(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(main, "registered_groups", dict)
    result = runner.invoke(app, ["nosuchgroup"])
    assert result.exit_code != 0
    assert "No such command" in result.output


def test_the_dev_tools_groups_are_registered_and_imported_only_when_used() -> None:
    """With the dev tools installed (as here), ``dev``, ``bench`` and ``chaos`` are registered groups;
    importing the command, or listing its groups, imports nothing of the dev tools' code."""
    assert {"dev", "bench", "chaos"} <= set(main.registered_groups())
    probe = (
        "import sys; from klachtspoor.cli.main import registered_groups; registered_groups(); "
        "loaded = [m for m in sys.modules if m.startswith('klachtspoor_devtools')]; "
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)
