"""Who the authorisation matrix tries every endpoint as (docs/authorisation.md): each role alone in the
organisation whose paths it asks for, each role of another organisation asking for this one's paths, one
token holding a different role in each of two organisations (tried on both), the confidant of the
confidant organisation demo's policy names with and without the complainant's consent, a token with every
role here that names another organisation's case, nobody (no token), and the complainant who holds only
the receipt code and the dossier's secret (here, and at another organisation).

A principal is data: its ``tenant_roles``, the tenant its requests name in the path, and which of the
walk's cases its case paths name (``authz_walk.Cases``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from contracts.vocabulary import Role

OWN = "demo"
"""The organisation whose paths the matrix asks for."""
OTHER = "so-trainingsbureau"
"""Another provider of the network: a token of its own staff must learn nothing of ``OWN``."""
CONFIDANT_ORG = "lsr"
"""The confidant organisation demo's pinned policy names (``confidant.organisation``)."""
MULTI_ROLES = {OWN: Role.COMPLAINTS_OFFICER, OTHER: Role.CARE_WORKER}
"""The several-tenant token: a complaints officer in ``OWN``, a care worker in ``OTHER``."""


class Kind(StrEnum):
    OWN = "own"
    FOREIGN = "foreign"
    MULTI = "multi"
    CONFIDANT = "confidant"
    CROSS_CASE = "cross case"
    ANONYMOUS = "anonymous"
    DOSSIER = "dossier"


class Case(StrEnum):
    """The cases the walk sets up once; a principal's case paths name one of them."""

    MAIN = "main"
    """Demo: a named signal, a conversation with notes, the confidant's contact with notes and the client's
    consent, a safety concern."""
    WITHOUT_CONSENT = "without_consent"
    """Demo: a named signal, no consent."""
    OTHER = "other"
    """``OTHER``'s own case, for the several-tenant token in that tenant."""
    DOSSIER = "dossier"
    """Demo, filed through the public way in: the one whose receipt code and secret the complainant holds."""


@dataclass(frozen=True)
class Principal:
    name: str
    """The matrix's column (a role's name for a role in its own organisation)."""
    kind: Kind
    grants: Mapping[str, tuple[Role, ...]]
    """The token's ``tenant_roles`` (empty: no token)."""
    path_tenant: str
    case: Case
    subject: str
    label: str
    """How the documentation's column heading says it (Dutch readers know the role names in English)."""

    @property
    def held(self) -> frozenset[Role]:
        """The roles the token holds in the tenant its requests name."""
        return frozenset(self.grants.get(self.path_tenant, ()))

    @property
    def opens_dossier(self) -> bool:
        """The complainant, at the organisation the dossier is of."""
        return self.kind is Kind.DOSSIER and self.path_tenant == OWN

    @property
    def anywhere(self) -> frozenset[Role]:
        """The roles the token holds in any tenant."""
        return frozenset(role for roles in self.grants.values() for role in roles)


def _own(role: Role) -> Principal:
    subject = f"authz-{role.value.replace('_', '-')}"
    return Principal(role.value, Kind.OWN, {OWN: (role,)}, OWN, Case.MAIN, subject, role.value)


def _foreign(role: Role) -> Principal:
    subject = f"authz-other-{role.value.replace('_', '-')}"
    label = f"{role.value} of another organisation"
    return Principal(f"foreign:{role.value}", Kind.FOREIGN, {OTHER: (role,)}, OWN, Case.MAIN, subject, label)


_MULTI = {tenant: (role,) for tenant, role in MULTI_ROLES.items()}
_CONFIDANT = {OWN: (Role.CONFIDANT,), CONFIDANT_ORG: (Role.CONFIDANT,)}
CONFIDANT_SUBJECT = "authz-vp"
"""The confidant who registered the main case's contact (so reads its notes) and holds the consent."""

PRINCIPALS: tuple[Principal, ...] = (
    *(_own(role) for role in Role),
    *(_foreign(role) for role in Role),
    Principal(
        "multi@own",
        Kind.MULTI,
        _MULTI,
        OWN,
        Case.MAIN,
        "authz-multi",
        "complaints_officer here, care_worker in another: here",
    ),
    Principal(
        "multi@other",
        Kind.MULTI,
        _MULTI,
        OTHER,
        Case.OTHER,
        "authz-multi",
        "complaints_officer here, care_worker in another: there",
    ),
    Principal(
        "confidant+consent",
        Kind.CONFIDANT,
        _CONFIDANT,
        OWN,
        Case.MAIN,
        CONFIDANT_SUBJECT,
        "the case's confidant (LSR), with consent",
    ),
    Principal(
        "confidant-consent",
        Kind.CONFIDANT,
        _CONFIDANT,
        OWN,
        Case.WITHOUT_CONSENT,
        CONFIDANT_SUBJECT,
        "the case's confidant (LSR), without consent",
    ),
    Principal(
        "cross-case",
        Kind.CROSS_CASE,
        {OWN: tuple(Role)},
        OWN,
        Case.OTHER,
        "authz-every-role",
        "every role here, another organisation's case id",
    ),
    Principal("anonymous", Kind.ANONYMOUS, {}, OWN, Case.MAIN, "", "no token"),
    Principal("dossier", Kind.DOSSIER, {}, OWN, Case.DOSSIER, "", "receipt code and dossier secret"),
    Principal(
        "dossier@other",
        Kind.DOSSIER,
        {},
        OTHER,
        Case.DOSSIER,
        "",
        "the same code and secret (and session), at another organisation",
    ),
)
BY_NAME = {principal.name: principal for principal in PRINCIPALS}
