"""The tenant's procedure policy, pinned on every new case: its latest version at the case's birth.

The registry holds every version; intake only ever pins the latest, and escalation later reads the
pinned version (never the latest), so publishing a new version changes new cases only.
"""

from __future__ import annotations

from klachtspoor.policies import PolicyRegistry, UnknownPolicy
from klachtspoor.tenants import Tenant
from services.intake.application import PolicyLookup
from services.intake.domain.commands import PolicyPin


class TenantPolicyMissing(LookupError):
    """A tenant names a policy the registry does not hold: intake refuses to start rather than open cases
    that follow no procedure."""

    def __init__(self, tenant: Tenant, error: UnknownPolicy) -> None:
        self.tenant, self.policy_id = tenant.slug, error.policy_id
        super().__init__(
            f"Tenant {tenant.slug} names policy {error.policy_id!r}, which is not loaded: {error}"
        )


def latest_policy_pins(registry: PolicyRegistry) -> PolicyLookup:
    """A lookup that pins ``registry``'s latest version of the tenant's policy (None: the tenant has none)."""

    def lookup(tenant: Tenant) -> PolicyPin | None:
        if tenant.policy is None:
            return None
        try:
            policy = registry.get(tenant.policy)
        except UnknownPolicy as error:
            raise TenantPolicyMissing(tenant, error) from error
        return PolicyPin(policy_id=policy.id, policy_version=policy.version)

    return lookup
