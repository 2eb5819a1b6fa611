"""The reaction to a received signal: start the terms the pinned policy sets for it, and acknowledge it.

Which terms a signal starts is the policy's, never a fixed promise: a first-contact term starts only when
the policy sets one for the step the signal was raised with (or for the case), counted from the day the
policy's ``counts_from`` names. Of the five published procedures only Ik ben er ook! has a first-contact
term, at its committee; a signal raised with the care worker starts none.
"""

from __future__ import annotations

from contracts.events import AnyEvent, NotificationRequested
from contracts.policy import ProcedurePolicy, TermStart
from contracts.vocabulary import DeadlineKind, NotificationChannel, NotificationKind, Recipient
from services.escalation.domain import ids
from services.escalation.domain.case.skips import complainant_channel
from services.escalation.domain.case.state import CaseState
from services.escalation.domain.commands import AcknowledgeSignal
from services.escalation.domain.terms.start import start_term


def acknowledge_signal(
    command: AcknowledgeSignal, state: CaseState, policy: ProcedurePolicy | None
) -> list[AnyEvent]:
    """Start the policy's first-contact term (if it sets one here) and request the acknowledgement (in the
    dossier only when anonymous or unreachable; none without a dossier either). Without a pinned policy
    no term starts: nothing says there is one.

    A reaction that already happened is visible in the state (a requested acknowledgement, a started term),
    so repeating it decides nothing; the deterministic ids cover the window before the append is seen.
    """
    if not state.opened or state.closed or state.erased:
        return []
    if state.received_on is None or state.contact is None:
        return []
    events: list[AnyEvent] = []
    if policy is not None and DeadlineKind.FIRST_CONTACT not in state.terms_started:
        # The signal is the complaint's first receipt, by the step it was raised with.
        at = TermStart.COMPLAINT_RECEIVED
        received = {at: state.received_on, TermStart.COMPLAINT_RECEIVED_BY_STEP: state.received_on}
        events += start_term(policy, DeadlineKind.FIRST_CONTACT, at, received, state.step)
    if not state.acknowledgement_requested:
        channel = complainant_channel(state)
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
