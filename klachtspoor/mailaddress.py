"""Exactly one e-mail address, checked with ``email-validator`` (intake refuses, notify never sends).

A complainant's address is where a system mail goes; a value such as ``"a@x.nl, b@y.nl"`` or one with a
display name or a line break would make the mail relay to whoever the submitter lists. Intake answers such
a value with 422; notify checks the stored value again before every handover (a stored event predating
this check, or written by another service, must still never reach two recipients) and parks the mail.

Only the syntax is checked, never DNS (no network call at intake, and a test domain stays usable). The
local part must be ASCII (no SMTPUTF8: not every relay offers it); an internationalised domain is passed on
in its ASCII (punycode) form. The messages here name what is wrong, never the value: it is personal data.
"""

from __future__ import annotations

import email_validator

MAX_ADDRESS_LENGTH = 254
"""RFC 5321's limit of a forward path, which email-validator enforces too."""


class InvalidAddress(ValueError):
    """The value is not one valid e-mail address. The message never contains the value."""


def single_address(value: str) -> str:
    """The one address ``value`` holds, normalised (domain lower-cased, ASCII); raise :class:`InvalidAddress`.

    Refused: lists (commas, semicolons, spaces), display names and angle brackets, quoted local parts, IP
    literals, line breaks, special-use domains (``.local``, ``.invalid`` …) and anything over 254 characters.
    """
    if len(value) > MAX_ADDRESS_LENGTH:
        raise InvalidAddress(f"must be one e-mail address of at most {MAX_ADDRESS_LENGTH} characters")
    try:
        result = email_validator.validate_email(
            value,
            check_deliverability=False,
            allow_smtputf8=False,
            allow_display_name=False,
            allow_quoted_local=False,
            allow_domain_literal=False,
        )
    except email_validator.EmailNotValidError:
        # The library's message quotes characters of the value: leave it out, and out of the chain.
        raise InvalidAddress(
            "must be exactly one e-mail address (name@domain), without a name or list"
        ) from None
    address = result.ascii_email or result.normalized
    return address


def is_single_address(value: str) -> bool:
    """Whether :func:`single_address` accepts ``value``."""
    try:
        single_address(value)
    except InvalidAddress:
        return False
    return True
