"""Exactly one e-mail address (email-validator, syntax only); the error never contains the value."""

from __future__ import annotations

import pytest

from klachtspoor.mailaddress import InvalidAddress, is_single_address, single_address


@pytest.mark.parametrize(
    ("value", "normalised"),
    [("ouder@example.org", "ouder@example.org"), ("Ouder@Example.ORG", "Ouder@example.org")],
)
def test_one_address_is_accepted_and_normalised(value: str, normalised: str) -> None:
    assert single_address(value) == normalised


@pytest.mark.parametrize(
    "value",
    [
        "a@x.nl, b@y.nl, c@z.nl",
        "a@x.nl;b@y.nl",
        "a@x.nl b@y.nl",
        "Jan <a@x.nl>",
        "<a@x.nl>",
        '"a,b"@x.nl',
        "a@[127.0.0.1]",
        "a@x.nl\r\nBcc: b@y.nl",
        "a@localhost",
        "a@server.local",
        "a",
        "",
        "a" * 250 + "@x.nl",
    ],
)
def test_anything_but_one_address_is_refused_without_quoting_it(value: str) -> None:
    with pytest.raises(InvalidAddress) as raised:
        single_address(value)
    assert "x.nl" not in str(raised.value) and "a@" not in str(raised.value)
    assert raised.value.__cause__ is None
    assert raised.value.__context__ is None or raised.value.__suppress_context__  # no library text chained
    assert not is_single_address(value)
