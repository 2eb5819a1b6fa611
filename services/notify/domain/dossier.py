"""A letter in the dossier only (channel ``dossier``): for a complainant who is anonymous or left no
address but has a dossier (filed through the public way in). No mail is sent and nothing is printed, so no
SMTP connection is made: the letter is recorded sent at once, with no Message-ID (no transport carried
it), and the dossier lists it from then on like any sent letter.

Recording it is the same command as recording a printed letter, with the same deterministic id as any
send of the notification: a redelivered request records nothing twice (and finds it sent already).
"""

from __future__ import annotations

from contracts.commands.notifications import RecordNotificationSent
from contracts.vocabulary import NotificationChannel
from klachtspoor.letters.state import Notification
from services.notify.domain.decider import CommandContext, printed


def placed(notification: Notification, at: CommandContext) -> RecordNotificationSent:
    """The command that records a letter in the dossier as sent."""
    if notification.channel is not NotificationChannel.DOSSIER:
        raise ValueError(f"notification {notification.notification_id} is not a letter in the dossier")
    return printed(notification, at)
