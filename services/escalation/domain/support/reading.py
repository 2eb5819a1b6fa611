"""Whether a confidant reads a case's file: only the case's own confidant, and only with the client's
consent.

The confidant supports one client, with that client's consent, from outside the provider (the Jeugdwet's
confidant; docs/casefile.md, "Confidant"). Holding the confidant role gives no reason to read the
provider's other complaint files, which hold special categories of personal data (AVG art. 5(1)(c),
art. 9). So a reader in the confidant's row must be the confidant the case's pinned policy names
(:func:`~.confidant.independence_refusal`, the rule its commands follow too), and a consent that lets the
confidant act toward the organisation for the client must hold (:data:`READING_CONSENTS`). The safety
override lets a confidant contact the organisation without consent; it opens no files.

A refusal is the :class:`~services.escalation.domain.errors.CommandRejected` of the rule broken, so a read
names the same rules (``confidant_organisation_not_named``, ``confidant_independent``,
``consent_required``) as the commands.
"""

from __future__ import annotations

from uuid import UUID

from contracts.policy import ProcedurePolicy
from contracts.vocabulary import ConsentScope
from services.escalation.domain.commands import ActingOrganisation
from services.escalation.domain.errors import CommandRejected
from services.escalation.domain.support.confidant import ConfidantRule, independence_refusal
from services.escalation.domain.support.state import SupportState

READING_CONSENTS = frozenset(
    {ConsentScope.CONFIDANT_CONTACTS_ORGANISATION, ConsentScope.CORRESPONDENCE_VIA_CONFIDANT}
)
"""The consents that involve the confidant with the organisation on the client's behalf."""


def confidant_reading_refusal(
    confidant: str,
    tenant: str,
    case_id: UUID,
    organisation: ActingOrganisation,
    policy: ProcedurePolicy | None,
    support: SupportState,
) -> CommandRejected | None:
    """Why ``confidant`` may not read the case's file in the confidant's row (None: it may)."""
    refusal = independence_refusal(confidant, tenant, case_id, organisation, policy)
    if refusal is not None:
        return refusal
    if any(support.current_consent(consent) in READING_CONSENTS for consent in support.consents):
        return None
    scopes = ", ".join(sorted(scope.value for scope in READING_CONSENTS))
    return CommandRejected(
        ConfidantRule.CONSENT_REQUIRED,
        f"confidant {confidant} reads the case file only with a current consent of the client ({scopes}); "
        f"the case has none (Case: {case_id})",
    )
