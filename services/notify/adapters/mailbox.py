"""Reading the mailbox bounces arrive in, without changing it.

In production the MTA delivers the envelope sender's mail (``bounces+…@domain``) to a Maildir
(``new/``, ``cur/``, ``tmp/``); the dev stack's SMTP sink writes every mail as a ``.eml`` file into one
folder. Both are read here, every message each time: nothing is moved or marked, so two readers, or a
reader and a mail client, never lose a message to each other, and a message read again records nothing
(the decider's ids see to that). An operator who wants a bounce gone deletes or archives it as usual.
"""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path


def read_mailbox(directory: Path) -> Iterator[EmailMessage]:
    """Every message in ``directory`` (a Maildir, or a folder of ``*.eml``), parsed; file order."""
    parser = BytesParser(policy=policy.default)
    if (directory / "new").is_dir() and (directory / "cur").is_dir():
        maildir = mailbox.Maildir(directory, factory=None, create=False)
        for key in sorted(maildir.keys()):
            message = parser.parsebytes(maildir.get_bytes(key))
            if isinstance(message, EmailMessage):
                yield message
        return
    for path in sorted(directory.glob("*.eml")):
        with path.open("rb") as handle:
            message = parser.parse(handle)
        if isinstance(message, EmailMessage):
            yield message
