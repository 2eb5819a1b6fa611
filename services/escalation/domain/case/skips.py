"""Whether, and on which channel, a complainant can be acknowledged."""

from __future__ import annotations

from enum import StrEnum

from contracts.vocabulary import NotificationChannel
from services.escalation.domain.case.state import CaseState, ContactOptions


class AcknowledgementSkip(StrEnum):
    """Why no acknowledgement is requested for a signal."""

    ANONYMOUS = "anonymous"
    NO_CONTACT = "no_contact"
    """Neither an e-mail address nor a postal address to answer on."""
    MAIL_WITHDRAWN = "mail_withdrawn"
    """The complainant took back the consent to be mailed and left no postal address: their letters are
    in their dossier only."""


def acknowledgement_channel(
    contact: ContactOptions, *, mail_withdrawn: bool = False
) -> NotificationChannel | AcknowledgementSkip:
    """The complainant's preferred channel when it has an address, else e-mail, else a letter. Once the
    consent to be mailed is withdrawn (``mail_withdrawn``), the e-mail address is not used."""
    if contact.anonymous:
        return AcknowledgementSkip.ANONYMOUS
    reachable = [
        channel
        for channel, has_address in (
            (NotificationChannel.EMAIL, contact.email and not mail_withdrawn),
            (NotificationChannel.LETTER, contact.letter),
        )
        if has_address
    ]
    if not reachable:
        if contact.email and mail_withdrawn:
            return AcknowledgementSkip.MAIL_WITHDRAWN
        return AcknowledgementSkip.NO_CONTACT
    if contact.preferred in reachable:
        return contact.preferred
    return reachable[0]


def complainant_channel(state: CaseState) -> NotificationChannel | AcknowledgementSkip | None:
    """The channel of the complainant's letters: their address's (:func:`acknowledgement_channel`), else
    the dossier when the case has one, else why there is none. None before the case knows its contact."""
    if state.contact is None:
        return None
    choice = acknowledgement_channel(state.contact, mail_withdrawn=state.support.mail_withdrawn)
    if isinstance(choice, AcknowledgementSkip) and state.has_dossier:
        return NotificationChannel.DOSSIER
    return choice


def acknowledgement_skip(state: CaseState) -> AcknowledgementSkip | None:
    """Why an opened case gets no acknowledgement (for logs and traces); None when it gets one."""
    choice = complainant_channel(state)
    return choice if isinstance(choice, AcknowledgementSkip) else None
