"""The complainant's own dossier: the secret that opens it, and what the complainant adds through it.

A complaint filed through the public way in (docs/public.md) has no account behind it: a secret, shown
to the complainant once, opens the dossier. Only its slow hash is recorded, here, so every service that
serves the dossier checks it from the event store, the one source of truth, and nothing else keeps it.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from contracts.base import Event
from contracts.personal import PersonalData, PersonalText

SecretHash = Annotated[
    str,
    PersonalData(),
    Field(min_length=1, max_length=300, description="scrypt$<log2 n>$<r>$<p>$<salt>$<key>, base64"),
]
"""A slow hash of the dossier's secret (:mod:`klachtspoor.dossier.secret`). Marked personal, so it is
encrypted under the case's key and gone when the case is erased: an erased case's dossier opens for
nobody."""


class DossierSecretIssued(Event):
    """A secret to open the complainant's dossier was issued (on filing, or replaced by the complainant);
    the newest one is the only one that opens it."""

    event_type: ClassVar[str] = "DossierSecretIssued"
    schema_version: ClassVar[int] = 1

    secret_hash: SecretHash


class ComplainantInformationAdded(Event):
    """The complainant added information to the case through the dossier."""

    event_type: ClassVar[str] = "ComplainantInformationAdded"
    schema_version: ClassVar[int] = 1

    text: PersonalText
