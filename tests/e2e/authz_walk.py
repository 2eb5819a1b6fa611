"""One request per cell of the authorisation matrix against the running services, and what its answer
must be: the cell's status and, for a read answered 200, only what the row lets it show.

Every principal reaches the public ways in (the filing, the dossier and its pages) from a loopback address
of its own, as the public routes count attempts per client address (each principal stays well below); a
principal other than the complainant names a receipt code of its own that exists nowhere, so no real code
is ever locked."""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from authz_cases import DESCRIPTION, Cases, Opened
from authz_principals import CONFIDANT_SUBJECT, Kind, Principal
from authz_rows import Cell, Row, Send, Shows, Via
from e2e_stack import Stack

from klachtspoor.auth.devkeys import mint_token
from services.escalation.domain.casefile import CASE_FILE_TABLE, reading_role

CONCURRENT = 6
"""Cells of one row in flight at once (the rows go one after the other, in the table's order)."""
PUBLIC = ("/v1/public/", "/klacht/", "/dossier/")
DOSSIER_NAMES = frozenset(
    {"dossier.status", "dossier.terms", "dossier.complaint", "dossier.additions", "dossier.letters"}
    | {"dossier.letters.text"}
)
CONFIDANT_NOTES = "support.confidant.notes"
WRONG_SECRET = "0000-0000-0000-0000-0000"
PATH_VALUE = re.compile(r"\{(\w+)(?::\w+)?\}")
FILING = {
    "capacity": "client",
    "client_age_band": "from_12_to_17",
    "raised_with": "care_worker",
    "description": "Een klacht die het honingpotveld vult.",
    "anonymous": True,
    "website": "https://bot.example",
}
_addresses: Iterator[str] = (f"127.{a}.{b}.{c}" for a in (91, 92) for b in range(256) for c in range(1, 255))
_codes = itertools.count(1)


@dataclass(frozen=True)
class Outcome:
    cell: Cell
    status: int
    problems: tuple[str, ...]

    def describe(self) -> str:
        row, who = self.cell.row, self.cell.principal.name
        said = (
            f"{row.service} {row.method} {row.path} as {who}: expected {self.cell.status}, got {self.status}"
        )
        return "; ".join([said, *self.problems])


class Walker:
    """Sends the cells; holds the tokens (minted once per principal) and the cases."""

    def __init__(self, stack: Stack, cases: Cases, client: httpx.AsyncClient) -> None:
        self.stack, self.cases, self.client = stack, cases, client
        self._tokens: dict[str, str] = {}
        self._public: dict[str, httpx.AsyncClient] = {}

    def public_client(self, principal: Principal) -> httpx.AsyncClient:
        """The principal's own connection to the public ways in, from a loopback address of its own."""
        if principal.name not in self._public:
            # no connection kept: one idle past the server's keep-alive may close under the next request
            transport = httpx.AsyncHTTPTransport(
                local_address=next(_addresses), limits=httpx.Limits(max_keepalive_connections=0)
            )
            self._public[principal.name] = httpx.AsyncClient(transport=transport, timeout=30)
        return self._public[principal.name]

    async def close(self) -> None:
        for client in self._public.values():
            await client.aclose()

    def token(self, principal: Principal) -> str:
        if principal.kind is Kind.DOSSIER:
            return self.cases.dossier_key["secret"]  # the one thing it holds, offered as a token
        if principal.name not in self._tokens:
            grants = {tenant: [role.value for role in roles] for tenant, roles in principal.grants.items()}
            self._tokens[principal.name] = mint_token(
                self.stack.private_key, subject=principal.subject, tenant_roles=grants
            )
        return self._tokens[principal.name]

    def url(self, row: Row, principal: Principal) -> str:
        case = self.cases[principal.case]
        values = {
            "tenant": principal.path_tenant,
            "case_id": str(case.case_id),
            "contact_id": "5d1c6a7e-0b1f-4c55-9b0e-6a1f2b3c4d5e",
            "subject": "authz-care-worker",
            "notification_id": str(self.cases.letter_id),
            "dimension": "category",
            "report": "jaaranalyse",
            "rest": "authz/bestaat/niet",
        }
        path = PATH_VALUE.sub(lambda found: values[found.group(1)], row.path)
        return f"{self.stack.url(row.service)}{path}"

    def request(self, row: Row, principal: Principal) -> dict[str, Any]:
        """httpx arguments: headers (with the cell's cookies), query and body for the cell."""
        headers: dict[str, str] = {}
        if principal.kind is Kind.DOSSIER and row.path.startswith("/dossier/"):
            # as a header, so it goes to any tenant's pages (a jar sends it only to the case's own)
            headers["Cookie"] = "; ".join(f"{c.name}={c.value}" for c in self.cases.dossier_cookies.jar)
        elif principal.grants or principal.kind is Kind.DOSSIER:
            if row.via is Via.DASHBOARD_COOKIE:
                headers["Cookie"] = f"klachtspoor_dashboard={self.token(principal)}"
            else:
                headers["Authorization"] = f"Bearer {self.token(principal)}"
        arguments: dict[str, Any] = {"headers": headers, "params": dict(row.query)}
        match row.send:
            case Send.QUERY:
                pass
            case Send.PROBE:
                arguments["json"] = {"authz_probe": True}
            case Send.CONTACT_ORGANISATION:
                arguments["json"] = {"consent_id": str(self.cases.consent_id)}
            case Send.DOSSIER_KEY | Send.DOSSIER_COMMAND:
                key = self.cases.dossier_key
                if principal.kind is not Kind.DOSSIER:  # the other organisation's gets the real key
                    malformed = row.send is Send.DOSSIER_COMMAND
                    secret = WRONG_SECRET + "-0" * 30 if malformed else WRONG_SECRET
                    key = {"reference": f"KS-AUTHZ-{next(_codes):06d}", "secret": secret}
                extra = {"text": "Aanvulling via de matrix."} if row.path.endswith("add-information") else {}
                arguments["json"] = {**key, **extra}
            case Send.HONEYPOT:
                arguments["json"] = FILING
            case Send.FORM:
                arguments["data"] = {"authz_probe": "1"}
        return arguments

    async def send(self, cell: Cell) -> Outcome:
        row, principal = cell.row, cell.principal
        arguments = self.request(row, principal)
        url = self.url(row, principal)
        public = any(row.path.startswith(prefix) for prefix in PUBLIC)
        client = self.public_client(principal) if public else self.client
        answer = await client.request(row.method, url, **arguments)
        client.cookies.clear()  # a cell sends only its own credentials, never what an answer set
        problems = () if answer.status_code != 200 else tuple(self.shown(cell, answer))
        named = answer.status_code == cell.status and (cell.status == 409 or cell.rule is not None)
        if named and answer.json().get("rule") != cell.rule:
            problems += (f"{cell.status} names rule {answer.json().get('rule')!r}, not {cell.rule!r}",)
        return Outcome(cell, answer.status_code, problems)

    def shown(self, cell: Cell, answer: httpx.Response) -> Iterator[str]:
        """What is wrong with what a 200 showed (nothing: it showed only what the row allows)."""
        principal = cell.principal
        text = answer.text
        others = [c for case, c in self.cases.by_case.items() if case is not principal.case]
        for opened in others:  # no other case's text, ever
            for name, value in opened.texts.items():
                if value in text:
                    yield f"shows {name} of another case"
        own = self.cases[principal.case]
        match cell.shows:
            case Shows.NOT_A_READ:
                return
            case Shows.NOTHING_PERSONAL:
                yield from (f"shows {name}" for name, value in own.texts.items() if value in text)
            case Shows.DOSSIER:
                allowed = {DESCRIPTION, "complainant.name"}
                yield from (f"shows {n}" for n, v in own.texts.items() if n not in allowed and v in text)
                if answer.headers.get("content-type", "").startswith("application/json"):
                    beyond = set(answer.json()["shown"]) - DOSSIER_NAMES
                    yield from (f"shown names {sorted(beyond)} beyond the dossier's" for _ in [1] if beyond)
            case Shows.CASE_FILE:
                yield from case_file_problems(principal, own, answer.json())


def case_file_problems(principal: Principal, case: Opened, body: dict[str, Any]) -> Iterator[str]:
    """The case file read as the product's reading order picks, showing its row of the product's
    ``CASE_FILE_TABLE``: ``shown`` within the row, and each of the case's texts there exactly when its
    name is in the row (the confidant's notes only for the confidant who wrote them, from its
    organisation)."""
    role = reading_role(principal.held)
    assert role is not None, f"{principal.name} reads no case file"
    row = CASE_FILE_TABLE[role]
    if body["read_as"] != role.value:
        yield f"read as {body['read_as']}, not {role.value}"
    if beyond := set(body["shown"]) - row:
        yield f"shown {sorted(beyond)} beyond the row of {role.value}"
    text = str(body)
    for name, value in case.texts.items():
        allowed = name in row
        if name == CONFIDANT_NOTES:
            allowed = allowed and principal.kind is Kind.CONFIDANT and principal.subject == CONFIDANT_SUBJECT
        if allowed and value not in text:
            yield f"does not show {name}, which its row allows"
        if not allowed and value in text:
            yield f"shows {name}, which its row does not allow"


async def walk(walker: Walker, cells: list[Cell]) -> list[Outcome]:
    """Every cell once: the rows in order, a row's cells a few at a time."""
    outcomes: list[Outcome] = []
    limit = asyncio.Semaphore(CONCURRENT)

    async def one(cell: Cell) -> Outcome:
        async with limit:
            return await walker.send(cell)

    for _, row_cells in itertools.groupby(cells, key=lambda cell: cell.row.key):
        outcomes += await asyncio.gather(*(one(cell) for cell in row_cells))
    return outcomes
