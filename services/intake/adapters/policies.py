"""The tenant's procedure policy, pinned on every new case: its latest version at the case's birth.

The registry holds every version; intake only ever pins the latest, and escalation later reads the
pinned version (never the latest), so publishing a new version changes new cases only.
"""

from __future__ import annotations

from contracts.policy import ProcedurePolicy
from klachtspoor.policies import PolicyRegistry, UnknownPolicy
from klachtspoor.tenants import Tenant
from services.intake.application.open_case import PolicyLookup


class TenantPolicyMissing(LookupError):
    """A tenant names a policy the registry does not hold: intake refuses to start rather than open cases
    that follow no procedure."""

    def __init__(self, tenant: Tenant, error: UnknownPolicy) -> None:
        self.tenant, self.policy_id = tenant.slug, error.policy_id
        super().__init__(
            f"Tenant {tenant.slug} names policy {error.policy_id!r}, which is not loaded: {error}"
        )


def latest_policy_pins(registry: PolicyRegistry) -> PolicyLookup:
    """A lookup of ``registry``'s latest version of the tenant's policy, which the new case pins (None: the
    tenant has none)."""

    def lookup(tenant: Tenant) -> ProcedurePolicy | None:
        if tenant.policy is None:
            return None
        try:
            return registry.get(tenant.policy)
        except UnknownPolicy as error:
            raise TenantPolicyMissing(tenant, error) from error

    return lookup
