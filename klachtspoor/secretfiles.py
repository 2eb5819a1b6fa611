"""Secrets given either as a value or as a file (``KLACHTSPOOR_…_FILE``, e.g. a compose secret under
``/run/secrets/``), never both: a file keeps the secret out of ``docker inspect`` and the process table.

The file is read when the setting is used, and checked (readable, not empty) when the settings are read,
so a wrong path stops the process at start with the setting's name, never with the secret.
"""

from __future__ import annotations

from pathlib import Path


class SecretSettingError(ValueError):
    """A secret is given twice, or its file cannot be read or is empty."""


def one_secret(name: str, value: str, file: Path | None) -> None:
    """At most one of ``name`` and ``name_FILE``; a given file must hold the secret."""
    if value and file is not None:
        raise SecretSettingError(f"Set {name} or {name}_FILE, not both")
    if file is not None:
        read_secret_file(f"{name}_FILE", file)


def read_secret_file(setting: str, file: Path) -> str:
    """The file's content without surrounding whitespace (a trailing newline is not part of it)."""
    try:
        secret = file.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise SecretSettingError(f"{setting}: cannot read {file} ({reason})") from error
    if not secret:
        raise SecretSettingError(f"{setting}: {file} is empty")
    return secret
