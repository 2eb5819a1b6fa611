"""The print queue of letters on paper (channel ``letter``): a directory per tenant an operator prints from.

::

    <KLACHTSPOOR_LETTERS_DIR>/<tenant>/to-print/<reference>-<kind>-<notification id>.pdf
    <KLACHTSPOOR_LETTERS_DIR>/<tenant>/to-print/<reference>-<kind>-<notification id>.json
    <KLACHTSPOOR_LETTERS_DIR>/<tenant>/printed/…                      (moved here once recorded printed)

The JSON beside each PDF names the case (stream, case id) and the notification, never a personal value,
so ``klachtspoor letters printed`` can record the letter sent without reading the PDF. A file is written
to a temporary name and renamed, so an operator never prints half a letter; writing the same letter
again (a redelivered request) writes the same bytes under the same name. The directory holds personal
data (the PDF is the letter): it is the operator's, with the same protection as the mail server's spool.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from uuid import UUID

TO_PRINT = "to-print"
PRINTED = "printed"


@dataclass(frozen=True, slots=True)
class QueuedLetter:
    tenant: str
    stream: str
    case_id: str
    notification_id: str
    reference: str
    kind: str
    recipient: str
    correlation_id: str

    @property
    def name(self) -> str:
        return f"{self.reference}-{self.kind}-{self.notification_id}"


class UnknownLetter(LookupError):
    def __init__(self, notification_id: UUID) -> None:
        super().__init__(f"No letter {notification_id} waits in the print queue")


class PrintQueue:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def put(self, letter: QueuedLetter, pdf: bytes) -> Path:
        """Queue ``pdf`` for printing (unless it was printed already); the PDF's path."""
        printed = self._dir(letter.tenant, PRINTED) / f"{letter.name}.pdf"
        if printed.exists():
            return printed
        folder = self._dir(letter.tenant, TO_PRINT)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{letter.name}.pdf"
        _write(target, pdf)
        _write(folder / f"{letter.name}.json", json.dumps(asdict(letter), indent=2).encode())
        return target

    def waiting(self, tenant: str | None = None) -> list[tuple[QueuedLetter, Path]]:
        """The letters still to print (of one tenant, or all), by name."""
        tenants = [tenant] if tenant else sorted(p.name for p in self.directory.glob("*") if p.is_dir())
        found = []
        for slug in tenants:
            for meta in sorted(self._dir(slug, TO_PRINT).glob("*.json")):
                letter = QueuedLetter(**json.loads(meta.read_text(encoding="utf-8")))
                found.append((letter, meta.with_suffix(".pdf")))
        return found

    def find(self, notification_id: UUID) -> tuple[QueuedLetter, Path]:
        for letter, path in self.waiting():
            if letter.notification_id == str(notification_id):
                return letter, path
        raise UnknownLetter(notification_id)

    def mark_printed(self, letter: QueuedLetter) -> Path:
        """Move the letter to ``printed/`` (after its ``NotificationSent`` was recorded)."""
        source = self._dir(letter.tenant, TO_PRINT)
        target = self._dir(letter.tenant, PRINTED)
        target.mkdir(parents=True, exist_ok=True)
        (source / f"{letter.name}.pdf").replace(target / f"{letter.name}.pdf")
        (source / f"{letter.name}.json").replace(target / f"{letter.name}.json")
        return target / f"{letter.name}.pdf"

    def _dir(self, tenant: str, state: str) -> Path:
        return self.directory / tenant / state


def _write(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
