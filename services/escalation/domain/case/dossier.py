"""What the complainant does through the dossier (docs/public.md): add information to the open case,
replace the secret, ask for the next step where the procedure lets the complainant ask.

Withdrawing is the case's own :func:`~services.escalation.domain.case.lifecycle.withdraw`, the same for
staff and complainant. Asking for the next step is a :class:`RequestJudgement` in writing, decided by the
formal route's own rules; :func:`requestable_step` says when the dossier offers it.
"""

from __future__ import annotations

from contracts.events import AnyEvent, ComplainantInformationAdded, DossierSecretIssued
from contracts.policy import ProcedurePolicy
from contracts.policy_rules import move_refusal
from contracts.vocabulary import EscalationStep
from services.escalation.domain.case.guards import require_not_erased, require_open
from services.escalation.domain.case.state import CaseState
from services.escalation.domain.commands import AddInformation, ReplaceDossierSecret


def add_information(command: AddInformation, state: CaseState) -> list[AnyEvent]:
    """Only while the case is open: a closed case takes no new facts (reopening is the organisation's)."""
    require_open(command, state)
    return [ComplainantInformationAdded(text=command.text)]


def replace_secret(command: ReplaceDossierSecret, state: CaseState) -> list[AnyEvent]:
    """Also after the case closed: the dossier stays readable (its letters) until the case is erased."""
    require_not_erased(state, command.case_id)
    return [DossierSecretIssued(secret_hash=command.secret_hash)]


def requestable_step(state: CaseState, policy: ProcedurePolicy | None) -> EscalationStep | None:
    """The step the complainant may ask for now: a formal step the policy starts on a written request
    (SO! Trainingsbureau's director: "schriftelijk verzoeken om … een oordeel"), the case open with a
    complaint filed, no judgement asked or given yet, and the ladder letting the case go there from its
    step without a reason. None when there is none."""
    if policy is None or not state.opened or state.closed or state.erased or state.complaint is None:
        return None
    if state.judge is not None or state.judgement is not None or state.admissible is False:
        return None
    for rung in policy.ladder:
        if (
            rung.written_request
            and rung.step.is_formal
            and rung.step != state.step
            and move_refusal(policy, state.step, rung.step, None) is None
        ):
            return rung.step
    return None
