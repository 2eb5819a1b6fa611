"""What a row of the authorisation matrix says, and how its cells follow from it (docs/authorisation.md).

A row is one endpoint (service, method, path template) with a compact rule: its gate (who gets through),
the status an admitted principal gets, how the walk sends the request, what a 200 may show, and the cells
that differ from the rule (with why). :func:`expand` turns it into one explicit :class:`Cell` per principal,
so every combination has a stated expectation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import assert_never

from authz_principals import PRINCIPALS, Kind, Principal

from contracts.vocabulary import Role


class Gate(StrEnum):
    ROLES = "roles"
    """A bearer token (header, or the dashboard's cookie) with one of ``roles`` in the path's tenant: 401
    without a valid token, 404 when the token does not name the path's tenant (its existence stays
    unknown) or the path's case is not one of that tenant's, 403 when no role it holds there may, else
    ``ok``."""
    ANY_TENANT = "any tenant"
    """A bearer token with one of ``roles`` in any tenant it names: 401, 403, else ``ok``."""
    OPEN = "open"
    """No credentials are read: every principal gets ``ok``."""
    SECRET = "secret"
    """The receipt code and the secret in the body: ``ok`` for the complainant, 404 (as a wrong secret)
    for everyone else, whatever token they send (422 where the walk sends them a malformed key)."""
    SESSION = "session"
    """The dossier's session cookie (signed in with code and secret): ``ok`` for the complainant,
    ``refused`` for everyone else."""
    CSRF = "csrf"
    """A page's form sent without the form's CSRF pair and from no page of the site: 403, whoever sends it
    (the walk sends every form so; the form's own tests post it from its page)."""


class Send(StrEnum):
    """How the walk makes a cell's request (``authz_walk``)."""

    QUERY = "query"
    """No body; the row's query."""
    PROBE = "probe"
    """A command body the route refuses once it has authorised the caller (422: an unknown field
    ``authz_probe``), so an admitted cell writes nothing either."""
    CONTACT_ORGANISATION = "contact organisation"
    """The real command, naming the consent recorded on the main case."""
    DOSSIER_KEY = "dossier key"
    """The complainant's receipt code and secret; everyone else a code of its own that exists nowhere
    (so no code is locked) and a well-formed secret, which costs the route a check against a decoy hash."""
    DOSSIER_COMMAND = "dossier command"
    """The complainant's receipt code and secret (at another organisation too); everyone else the key
    with an over-long secret, refused (422) before any work: what a token does to the dossier shows on
    the read (``DOSSIER_KEY``), without a decoy hash per principal and command."""
    HONEYPOT = "honeypot"
    """A complete public filing with the honeypot field filled: refused (422 ``honeypot``), nothing written,
    after every check a token could change."""
    FORM = "form"
    """An urlencoded form without CSRF value, Origin or Referer."""


class Shows(StrEnum):
    """What a 200 may show."""

    CASE_FILE = "the role's row of the case-file table"
    """``shown`` within the reading role's row of ``CASE_FILE_TABLE``; each personal text of the case
    present exactly when its name is in that row (the confidant's notes for their author alone)."""
    DOSSIER = "the dossier's parts"
    """``shown`` within the dossier's names; none of the staff's or confidant's texts."""
    NOTHING_PERSONAL = "no personal field"
    """None of the cases' personal texts anywhere in the answer."""
    NOT_A_READ = ""
    """Not a read of a case (a command's answer, a form, a document, a stylesheet)."""


class Via(StrEnum):
    HEADER = "header"
    DASHBOARD_COOKIE = "dashboard cookie"


@dataclass(frozen=True)
class Row:
    service: str
    method: str
    path: str
    gate: Gate
    ok: int
    send: Send = Send.QUERY
    roles: frozenset[Role] = frozenset()
    shows: Shows = Shows.NOT_A_READ
    via: Via = Via.HEADER
    refused: int = 401
    """For ``Gate.SESSION``: what a principal without the session gets."""
    query: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    exceptions: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    """Principal name -> status where the cell differs from the gate's rule."""
    why: str = ""
    """Why the exceptions are right (shown in the documentation)."""
    rules: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Principal name (``*``: every other) -> the ``rule`` a 409 answer (or a 403 named here) must name."""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.service, self.method, self.path)


@dataclass(frozen=True)
class Cell:
    row: Row
    principal: Principal
    status: int

    @property
    def shows(self) -> Shows:
        return self.row.shows if self.status == 200 else Shows.NOT_A_READ

    @property
    def rule(self) -> str | None:
        """The rule a 409 of this cell names (or its 403, where the row names one)."""
        if self.status != 409:
            return None
        rules = self.row.rules
        return rules.get(self.principal.name, rules.get("*"))


def rule(row: Row, principal: Principal) -> int:
    """The status the gate's rule gives ``principal`` on ``row`` (before the row's exceptions)."""
    match row.gate:
        case Gate.OPEN:
            return row.ok
        case Gate.CSRF:
            return 403
        case Gate.SECRET:
            if principal.opens_dossier:
                return row.ok
            return 404 if principal.kind is Kind.DOSSIER or row.send is Send.DOSSIER_KEY else 422
        case Gate.SESSION:
            return row.ok if principal.opens_dossier else row.refused
        case Gate.ANY_TENANT:
            if not principal.grants:
                return 401
            return row.ok if principal.anywhere & row.roles else 403
        case Gate.ROLES:
            if not principal.grants:
                return 401
            if not principal.held or (principal.kind is Kind.CROSS_CASE and looks_up_case(row)):
                return 404
            return row.ok if principal.held & row.roles else 403
    assert_never(row.gate)


def looks_up_case(row: Row) -> bool:
    """The walk's request on ``row`` reaches the lookup of the path's case (a probe is refused before)."""
    return "{case_id}" in row.path and row.send in (Send.QUERY, Send.CONTACT_ORGANISATION)


def expand(row: Row) -> tuple[Cell, ...]:
    """One cell per principal; an exception naming no principal is an error in the table."""
    unknown = set(row.exceptions) - {p.name for p in PRINCIPALS}
    assert not unknown, f"{row.method} {row.path}: exceptions for unknown principals {sorted(unknown)}"
    return tuple(Cell(row, p, row.exceptions.get(p.name, rule(row, p))) for p in PRINCIPALS)
