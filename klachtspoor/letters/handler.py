"""Who handles a term of a case, for the mails that tell them it is about to end or has ended: the role
that handles the step the policy sets the term for, or, for a term of the whole case (admissibility,
measures), the role that handles the step the case is at. The mail goes to that role's mailbox of the
tenant (``config/tenants.yaml``, ``mailboxes``), never to a person's address."""

from __future__ import annotations

from contracts.policy import ProcedurePolicy
from contracts.vocabulary import DeadlineKind, Role
from klachtspoor.letters.state import CaseMailState


def handler_role(
    state: CaseMailState, policy: ProcedurePolicy | None, kind: DeadlineKind | None
) -> Role | None:
    """The role responsible for term ``kind`` of the case; None when neither the term nor the case is
    at a step of the pinned policy."""
    if policy is None:
        return None
    term = policy.term(kind, state.step) if kind is not None else None
    if kind is not None and term is None:
        term = next((t for t in policy.terms if t.kind is kind), None)
    step = term.step if term is not None and term.step is not None else state.step
    if step is None or step not in policy.steps:
        return None
    return policy.step(step).handled_by


def confidant_mailbox_tenant(policy: ProcedurePolicy | None, own: str) -> str | None:
    """The tenant whose ``confidant`` mailbox reaches the case's confidant: the confidant organisation
    the policy names, or the organisation itself when its confidant is its own (internal)."""
    if policy is None or policy.confidant is None:
        return None
    support = policy.confidant
    return own if support.internal or support.organisation is None else support.organisation
