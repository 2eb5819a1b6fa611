"""The case file as one reader's role may see it, built from the case's decoded envelopes and its pinned
policy alone: a pure function, no I/O, no clock. The envelopes come decrypted (or masked, once the case
was erased) from the codec; this module only decides what of them the reader sees and says so in
``shown``, which the access log records."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from uuid import UUID

from contracts.envelope import Envelope
from contracts.events import (
    CaseClosed,
    CaseReferenceAssigned,
    CaseReopened,
    PersonalDataErased,
    ProcedurePolicyPinned,
)
from contracts.policy import ProcedurePolicy
from contracts.vocabulary import Category, Role
from services.escalation.domain.casefile import table
from services.escalation.domain.casefile.complainant import (
    AboutView,
    ComplainantView,
    DescriptionView,
    about_view,
    categories_view,
    complainant_view,
    description_view,
)
from services.escalation.domain.casefile.letters import LetterView, letters_view
from services.escalation.domain.casefile.reader import Frozen, Reader, Shown
from services.escalation.domain.casefile.steps import StepView, steps_view
from services.escalation.domain.casefile.support import SupportView, support_view
from services.escalation.domain.casefile.terms import TermsView, terms_view


class PolicyView(Frozen):
    policy_id: str
    policy_version: int


class CaseFile(Frozen):
    case_id: UUID
    reference: str | None
    read_as: Role
    """The role the file was built for (of the token's roles, the first of the reading order)."""
    shown: tuple[str, ...]
    """The names of the sections and fields shown, as the access log records them (docs/casefile.md)."""
    closed: bool
    erased: bool
    """The case's personal data was erased: every personal field reads as its placeholder."""
    policy: PolicyView | None = None
    complainant: ComplainantView | None = None
    about: AboutView | None = None
    description: DescriptionView | None = None
    categories: tuple[Category, ...] | None = None
    steps: tuple[StepView, ...] | None = None
    terms: TermsView | None = None
    letters: tuple[LetterView, ...] | None = None
    support: SupportView | None = None


def case_file(
    case_id: UUID,
    envelopes: Sequence[Envelope],
    policy: ProcedurePolicy | None,
    reader: Reader,
    letter_texts: Mapping[UUID, str] | None = None,
) -> CaseFile:
    """``reader.grants`` is the reader's row of :data:`~.table.CASE_FILE_TABLE`; a section the row lacks
    is absent (None), a field it lacks inside a shown section is absent too. ``letter_texts``: the text
    of each sent letter by notification id, rendered by the caller (needed only with ``letters.text``)."""
    events = [envelope.event for envelope in envelopes]
    shown = Shown()
    pinned = next((e for e in events if isinstance(e, ProcedurePolicyPinned)), None)
    reference = next((e.reference for e in events if isinstance(e, CaseReferenceAssigned)), None)
    policy_view = None
    if pinned is not None and reader.may(table.POLICY):
        policy_view = PolicyView(policy_id=pinned.policy_id, policy_version=pinned.policy_version)
        shown.add(table.POLICY)
    complainant = complainant_view(events, reader, shown)
    about = about_view(events, reader, shown)
    description = description_view(events, reader, shown)
    categories = categories_view(events, reader, shown)
    steps = steps_view(envelopes, reader, shown)
    terms = terms_view(envelopes, policy, reader, shown)
    letters = letters_view(envelopes, reader, shown, letter_texts or {})
    support = support_view(envelopes, reader, shown)
    return CaseFile(
        case_id=case_id,
        reference=reference,
        read_as=reader.viewer.role,
        shown=shown.names(table.EVERY_NAME),
        closed=_closed(events),
        erased=any(isinstance(e, PersonalDataErased) for e in events),
        policy=policy_view,
        complainant=complainant,
        about=about,
        description=description,
        categories=categories,
        steps=steps,
        terms=terms,
        letters=letters,
        support=support,
    )


def _closed(events: Sequence[object]) -> bool:
    closed = False
    for event in events:
        if isinstance(event, CaseClosed):
            closed = True
        elif isinstance(event, CaseReopened):
            closed = False
    return closed
