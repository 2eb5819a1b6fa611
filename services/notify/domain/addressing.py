"""Where a letter to someone else than the complainant goes: an organisation's own mailbox, resolved from
the tenants file by the application and handed to the domain as :class:`Mailboxes` (the domain reads no
file). The provider and the committee by their tenant mailbox, the handler of a term by the mailbox of the
role that handles it, the confidant by the confidant organisation's mailbox, and that only while the
complainant's consent to it holds. Such a letter is addressed without a name."""

from __future__ import annotations

from dataclasses import dataclass

from contracts.vocabulary import ConsentScope, Recipient, Role
from klachtspoor.letters.state import CaseMailState, Notification
from klachtspoor.mailaddress import InvalidAddress, single_address


@dataclass(frozen=True, slots=True)
class Mailboxes:
    """The case tenant's mailbox per staff role and ``provider``, the role that handles the term a
    deadline mail is about, and the confidant organisation's mailbox."""

    by_role: dict[str, str] | None = None
    handler_role: Role | None = None
    confidant: str | None = None

    def of(self, key: str) -> str | None:
        return (self.by_role or {}).get(key)


NO_MAILBOXES = Mailboxes()


@dataclass(frozen=True, slots=True)
class Unaddressable:
    """Why the letter has no address (the reason names the rule and the role, never a value)."""

    reason: str


def mailbox_address(
    state: CaseMailState, notification: Notification, mailboxes: Mailboxes
) -> str | Unaddressable:
    """The one checked address of ``notification``'s organisation mailbox, or why there is none."""
    recipient = notification.recipient
    match recipient:
        case Recipient.CASE_HANDLER:
            role = mailboxes.handler_role
            if role is None:
                return Unaddressable("no step of the case's procedure handles this term")
            address, what = mailboxes.of(role.value), f"role {role.value}"
        case Recipient.CONFIDANT:
            if not state.consented(ConsentScope.CORRESPONDENCE_VIA_CONFIDANT):
                return Unaddressable("no recorded consent to send the letters through the confidant")
            address, what = mailboxes.confidant, "the confidant organisation"
        case _:
            address, what = mailboxes.of(recipient.value), f"recipient {recipient.value}"
    if address is None:
        return Unaddressable(f"the tenants file names no mailbox for {what}")
    try:
        return single_address(address)
    except InvalidAddress:
        return Unaddressable(f"the mailbox for {what} is not exactly one valid address")
