"""What every route of the escalation API reads from the app: the tenants, the pinned policies, the clock,
and, once the lifespan opened the stores, the workflows, the case repository and the access log.

Staff commands (``staff_access``) and the reads (the case file, the history, the access log, the
deadlines) all start here; a part that is not open yet answers 503, an unknown tenant 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from fastapi import Request

from klachtspoor.accesslog import AccessLog
from klachtspoor.cases import CaseRepository
from klachtspoor.http.problems import Problem
from klachtspoor.http.reads import AccessLogging
from klachtspoor.letters.render import MailRenderer
from klachtspoor.tenants import Tenant, TenantRegistry, UnknownTenant
from services.escalation.adapters.policies import PinnedPolicies
from services.escalation.application.contacts import ContactWorkflow
from services.escalation.application.erasure import ErasureWorkflow
from services.escalation.application.staff import StaffWorkflow


@dataclass(frozen=True)
class StaffApi:
    """What the routes need, on ``app.state.staff`` (the workflows only once the lifespan opened the
    store)."""

    tenants: TenantRegistry
    policies: PinnedPolicies
    clock: Callable[[], datetime]
    workflow: StaffWorkflow | None = None
    repository: CaseRepository | None = None
    erasure: ErasureWorkflow | None = None
    contacts: ContactWorkflow | None = None
    """A confidant's contacts on no case, each on its own stream."""
    access_log: AccessLog | None = None
    """Every read of personal data is logged here first (NEN 7513); none is served without it."""
    letters: MailRenderer = field(default_factory=MailRenderer)
    """Renders a sent letter again for the case file, from the templates notify sends with."""

    @property
    def access(self) -> AccessLogging:
        return AccessLogging(self.access_log, self.clock)


def staff_api(request: Request) -> StaffApi:
    api: StaffApi = request.app.state.staff
    return api


def running_workflow(api: StaffApi) -> StaffWorkflow:
    if api.workflow is None:
        raise Problem(503, "Service unavailable", "The service is starting; retry in a moment")
    return api.workflow


def running_erasure(api: StaffApi) -> ErasureWorkflow:
    if api.erasure is None:
        raise Problem(503, "Service unavailable", "The service is starting; retry in a moment")
    return api.erasure


def running_contacts(api: StaffApi) -> ContactWorkflow:
    if api.contacts is None:
        raise Problem(503, "Service unavailable", "The service is starting; retry in a moment")
    return api.contacts


def running_repository(api: StaffApi) -> CaseRepository:
    if api.repository is None:
        raise Problem(503, "Service unavailable", "The service is starting; retry in a moment")
    return api.repository


def known_tenant(registry: TenantRegistry, slug: str) -> Tenant:
    try:
        return registry.get(slug)
    except UnknownTenant as error:
        raise Problem(404, "Not found", str(error)) from error
