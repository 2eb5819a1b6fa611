"""The spec of the confidant and safety tests (the policy of the case's tenant by default), and the cases
and commands they use."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

import lifecycle_given

from contracts.base import Actor, Command
from contracts.events import (
    ConsentGiven,
    ConsentWithdrawn,
    PersonalDataErased,
    SafetyConcernRaised,
    SignalReceived,
)
from contracts.policy import ProcedurePolicy
from contracts.values import Complainant
from contracts.vocabulary import (
    Channel,
    ComplainantCapacity,
    ConsentScope,
    CrisisRoute,
    ErasureReason,
    Role,
    TenantKind,
)
from klachtspoor.policies import PolicyRegistry
from services.escalation.domain.commands import ActingOrganisation

REPOSITORY = Path(__file__).resolve().parents[4]
CASE_ID = UUID("00000000-0000-4000-8000-00000000c0de")
COMMAND_ID = UUID("00000000-0000-4000-8000-0000000c0111")
CONSENT_ID = UUID("00000000-0000-4000-8000-00000000c045")
CONCERN_ID = UUID("00000000-0000-4000-8000-00000000da46")
CONTACT_ID = UUID("00000000-0000-4000-8000-00000000c0c0")
PROVIDER = "save-veilig-thuis-utrecht"
NOW = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
THURSDAY = date(2026, 3, 5)

CONFIDANT = Actor(id="vp-akj-0001", role=Role.CONFIDANT)
OTHER_CONFIDANT = Actor(id="vp-akj-0002", role=Role.CONFIDANT)
CARE_WORKER = Actor(id="mw-save-0001", role=Role.CARE_WORKER)
AKJ = ActingOrganisation(tenant="akj-zorgbelang-drenthe", kind=TenantKind.CONFIDANT_ORG)
LSR = ActingOrganisation(tenant="lsr", kind=TenantKind.CONFIDANT_ORG)

C = TypeVar("C", bound=Command)


class _Published(Enum):
    PROVIDERS = "the published policy of the test case's tenant"


def case_spec(policy: ProcedurePolicy | _Published | None = _Published.PROVIDERS) -> lifecycle_given.CaseSpec:
    """The escalation decider's spec (see :mod:`tests.deciders`) under the published policy of each
    command's tenant (SAVE's, which names the AKJ as its confidant organisation) unless the test gives
    another, or None."""
    if isinstance(policy, _Published):
        return lifecycle_given.spec_per_command(lambda command: published_policy(command.tenant))
    return lifecycle_given.case_spec(policy)


@cache
def published_policy(policy_id: str) -> ProcedurePolicy:
    """The latest version of a published procedure, from the repository's ``policies/`` directory."""
    return PolicyRegistry.from_directory(REPOSITORY / "policies").get(policy_id)


def command(cls: type[C], actor: Actor = CONFIDANT, now: datetime = NOW, **fields: Any) -> C:
    """A validated ``cls`` on the test case, with the ids, tenant, actor and time filled in."""
    base = {"command_id": COMMAND_ID, "tenant": PROVIDER, "case_id": CASE_ID, "actor": actor, "now": now}
    return cls.model_validate(base | fields)


def signal() -> SignalReceived:
    return SignalReceived(
        channel=Channel.PHONE,
        received_on=THURSDAY,
        complainant=Complainant(capacity=ComplainantCapacity.CLIENT, name="Voorbeeld Jongere"),
        description="Mijn begeleider luistert niet.",
    )


def consent(
    scope: ConsentScope = ConsentScope.CONFIDANT_CONTACTS_ORGANISATION, **changes: Any
) -> ConsentGiven:
    fields: dict[str, Any] = {
        "consent_id": CONSENT_ID,
        "scope": scope,
        "given_by": ComplainantCapacity.CLIENT,
        "written": False,
    }
    return ConsentGiven.model_validate(fields | changes)


def withdrawn(scope: ConsentScope = ConsentScope.CONFIDANT_CONTACTS_ORGANISATION) -> ConsentWithdrawn:
    return ConsentWithdrawn(consent_id=CONSENT_ID, scope=scope)


def concern(route: CrisisRoute = CrisisRoute.VEILIG_THUIS) -> SafetyConcernRaised:
    return SafetyConcernRaised(
        concern_id=CONCERN_ID, crisis_route=route, immediate_danger=False, description="Zorgen thuis."
    )


def erased() -> PersonalDataErased:
    return PersonalDataErased(reason=ErasureReason.ERASURE_REQUEST)
