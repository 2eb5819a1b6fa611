"""The intake command. It carries everything the decider must not produce itself: time, ids, the
allocated reference and the policy the case follows (its latest version, whose rules the signal must meet
and which the case pins)."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from contracts.base import Command
from contracts.events.dossier import SecretHash
from contracts.events.intake import SignalReceived
from contracts.policy import ProcedurePolicy
from klachtspoor.calendar import local_date

REFERENCE_PATTERN = r"^KS-[0-9]{4}-[0-9]{6,}$"


class OpenCase(Command):
    """Open a case with a signal, under the reference allocated for it."""

    signal: SignalReceived
    reference: str = Field(pattern=REFERENCE_PATTERN)
    policy: ProcedurePolicy | None = None
    """The version of the tenant's procedure policy the new case follows for its whole life (None: none)."""
    dossier_secret_hash: SecretHash | None = None
    """Filed through the public way in: the slow hash of the secret that opens the complainant's dossier
    (recorded with the case's birth, in the same append; None: filed by staff or with a token)."""

    @model_validator(mode="after")
    def _received_by_now(self) -> Self:
        today = local_date(self.now)
        if self.signal.received_on > today:
            raise ValueError(f"signal received_on {self.signal.received_on} is after today ({today})")
        return self


IntakeCommand = OpenCase
"""Every command the intake decider takes (one for now; a union as it grows)."""
