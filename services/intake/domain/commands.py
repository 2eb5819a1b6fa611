"""The intake command. It carries everything the decider must not produce itself: time, ids, the
allocated reference and the policy the case follows."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from contracts.base import Command, ContractModel
from contracts.events.intake import SignalReceived
from services.intake.domain.rules import local_day

REFERENCE_PATTERN = r"^KS-[0-9]{4}-[0-9]{6,}$"
POLICY_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"


class PolicyPin(ContractModel):
    """The version of the tenant's procedure policy that a new case will follow for its whole life."""

    policy_id: str = Field(pattern=POLICY_ID_PATTERN)
    policy_version: int = Field(ge=1)


class OpenCase(Command):
    """Open a case with a signal, under the reference allocated for it."""

    signal: SignalReceived
    reference: str = Field(pattern=REFERENCE_PATTERN)
    policy: PolicyPin | None = None

    @model_validator(mode="after")
    def _received_by_now(self) -> Self:
        today = local_day(self.now)
        if self.signal.received_on > today:
            raise ValueError(f"signal received_on {self.signal.received_on} is after today ({today})")
        return self


IntakeCommand = OpenCase
"""Every command the intake decider takes (one for now; a union as it grows)."""
