"""The reaction to a received signal: start the first-contact term and acknowledge it to the complainant."""

from __future__ import annotations

from contracts.events import AnyEvent, NotificationRequested, TermStarted
from contracts.vocabulary import DeadlineKind, NotificationChannel, NotificationKind, Recipient
from services.escalation.domain import ids
from services.escalation.domain.commands import AcknowledgeSignal
from services.escalation.domain.skips import acknowledgement_channel
from services.escalation.domain.state import CaseState
from services.escalation.domain.terms import due_date


def acknowledge_signal(command: AcknowledgeSignal, state: CaseState) -> list[AnyEvent]:
    """Start the first-contact term and request the acknowledgement (unless anonymous or unreachable).

    A reaction that already happened is visible in the state (a requested acknowledgement, a started term),
    so repeating it decides nothing; the deterministic ids cover the window before the append is seen.
    """
    if not state.opened or state.closed or state.erased:
        return []
    if state.received_on is None or state.contact is None:
        return []
    events: list[AnyEvent] = []
    if DeadlineKind.FIRST_CONTACT not in state.terms_started:
        term = command.first_contact_term
        events.append(
            TermStarted(
                deadline=DeadlineKind.FIRST_CONTACT,
                started_on=state.received_on,
                term=term,
                due_on=due_date(state.received_on, term),
            )
        )
    if not state.acknowledgement_requested:
        channel = acknowledgement_channel(state.contact)
        if isinstance(channel, NotificationChannel):
            events.append(
                NotificationRequested(
                    notification_id=ids.notification_id(command.causation_event_id, "acknowledgement"),
                    kind=NotificationKind.ACKNOWLEDGEMENT,
                    recipient=Recipient.COMPLAINANT,
                    channel=channel,
                )
            )
    return events
