"""The procedure policy a case pinned at intake, looked up in the registry of every loaded version.

A case follows the version it started under for its whole life: the lookup asks for that exact version,
never the latest. A pinned version the registry does not hold is a deployment error (a policy file was
removed or not shipped), not a rule the case broke, so it raises :class:`PinnedPolicyMissing` instead of
deciding as if the case had no policy.
"""

from __future__ import annotations

from uuid import UUID

from contracts.policy import ProcedurePolicy
from klachtspoor.policies import PolicyRegistry, UnknownPolicy
from services.escalation.domain import CaseState


class PinnedPolicyMissing(LookupError):
    def __init__(self, case_id: UUID, policy_id: str, version: int, error: UnknownPolicy) -> None:
        self.case_id, self.policy_id, self.version = case_id, policy_id, version
        super().__init__(
            f"Case {case_id} follows policy {policy_id!r} version {version}, which is not loaded: {error}"
        )


class PinnedPolicies:
    """The pinned version of a case's policy (None when the case pinned none: the decider then rejects
    what needs a policy with ``policy_not_pinned``)."""

    def __init__(self, registry: PolicyRegistry) -> None:
        self.registry = registry

    def of(self, state: CaseState, case_id: UUID) -> ProcedurePolicy | None:
        if state.policy is None:
            return None
        try:
            return self.registry.get(state.policy.policy_id, state.policy.version)
        except UnknownPolicy as error:
            raise PinnedPolicyMissing(case_id, state.policy.policy_id, state.policy.version, error) from error
