"""Letters and mails of a case: to the complainant on the channel they can be reached on, and the copies
the procedure (or its law) sends to others.

Whom a letter goes to besides the complainant is the pinned policy's ``recipients`` for its kind, else
its regime's rule (:func:`contracts.policy_rules.letter_recipients`): the person complained about (when
the complaint names someone; on paper, the case holds no address of theirs), the provider (its
management's mailbox, for a committee's judgement) and the complaints committee (the measures after its
judgement). The complainant's confidant gets every letter the complainant gets, but only while the
complainant's consent to that (``correspondence_via_confidant``) holds. Giving an e-mail address is the
consent to be mailed; once the case records that consent withdrawn (``email_correspondence``), the
complainant's letters go on paper when the case has a postal address. A complainant who cannot be
reached (anonymous, no address, or no postal address once mail was refused) gets the letters in the
dossier (channel ``dossier``) when the case has one, else none is requested. Each request's id derives
from the cause, the kind and the recipient, so a redelivered command asks for nothing twice.
"""

from __future__ import annotations

from uuid import UUID

from contracts.events import AnyEvent, NotificationRequested
from contracts.policy import ProcedurePolicy
from contracts.policy_rules import letter_recipients
from contracts.vocabulary import ConsentScope, Judge, NotificationChannel, NotificationKind, Recipient
from services.escalation.domain import ids
from services.escalation.domain.case.guards import pinned_or_none
from services.escalation.domain.case.skips import complainant_channel
from services.escalation.domain.case.state import CaseState


def to_complainant(
    state: CaseState, cause: UUID, kind: NotificationKind, purpose: str = ""
) -> list[AnyEvent]:
    """A notification of ``kind``; in the dossier only when the complainant is anonymous, left no address,
    or took back the consent to be mailed and left no postal address, and none when the case has no
    dossier either. Its id derives from ``cause`` (the command) and ``kind`` (plus ``purpose`` when one
    cause sends several)."""
    channel = complainant_channel(state)
    if not isinstance(channel, NotificationChannel):
        return []
    return [_request(cause, _key(kind, purpose), kind, Recipient.COMPLAINANT, channel)]


def letters(
    state: CaseState,
    policy: ProcedurePolicy | None,
    cause: UUID,
    kind: NotificationKind,
    purpose: str = "",
) -> list[AnyEvent]:
    """The complainant's letter of ``kind`` (:func:`to_complainant`) and the copies to whom else it goes."""
    requests = to_complainant(state, cause, kind, purpose)
    key = _key(kind, purpose)
    for recipient in _copies(state, pinned_or_none(state, policy), kind):
        channel = (
            NotificationChannel.LETTER
            if recipient is Recipient.PERSON_COMPLAINED_ABOUT
            else NotificationChannel.EMAIL
        )
        requests.append(_request(cause, f"{key}:{recipient.value}", kind, recipient, channel))
    if requests and _through_confidant(state):
        requests.append(
            _request(cause, f"{key}:confidant", kind, Recipient.CONFIDANT, NotificationChannel.EMAIL)
        )
    return requests


def _copies(state: CaseState, policy: ProcedurePolicy | None, kind: NotificationKind) -> list[Recipient]:
    copies: list[Recipient] = []
    for recipient in letter_recipients(policy, kind):
        match recipient:
            case Recipient.PERSON_COMPLAINED_ABOUT if not state.about_someone:
                continue  # the complaint names nobody
            case Recipient.PROVIDER if state.judge is not Judge.COMPLAINTS_COMMITTEE:
                continue  # the provider's own director judged: the provider has the judgement
            case Recipient.COMPLAINTS_COMMITTEE if state.judge is not Judge.COMPLAINTS_COMMITTEE:
                continue  # no committee judged, so none is told the measures
            case Recipient.CONFIDANT:
                continue  # under consent only, below
        copies.append(recipient)
    return copies


def _through_confidant(state: CaseState) -> bool:
    support = state.support
    return any(
        support.current_consent(consent_id) is ConsentScope.CORRESPONDENCE_VIA_CONFIDANT
        for consent_id in support.consents
    )


def _key(kind: NotificationKind, purpose: str) -> str:
    return f"{kind.value}:{purpose}" if purpose else kind.value


def _request(
    cause: UUID, key: str, kind: NotificationKind, recipient: Recipient, channel: NotificationChannel
) -> NotificationRequested:
    return NotificationRequested(
        notification_id=ids.notification_id(cause, key), kind=kind, recipient=recipient, channel=channel
    )
