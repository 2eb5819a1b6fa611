"""A parent on the running stack, without an account: files through the public form as a browser without
JavaScript does (the form's page, its CSRF value, the fields posted), keeps the receipt code and secret
from the receipt page, and follows the case in the dossier (JSON, or the pages under a session). Each
letter sent to the parent is checked where the parent meets it: in the mail sink as a mail with its PDF
(the text read back with pypdf) and in the dossier (its text, and its PDF downloaded with the secret).

Every parent connects from a loopback address of its own (127.0.0.x): the dossier counts openings per
client address (docs/public.md#limits), as it would count each parent's own connection."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from io import BytesIO
from itertools import count
from typing import Any
from uuid import UUID, uuid4

import httpx
from e2e_helpers import WAIT, read_mail
from e2e_stack import Stack, eventually
from pypdf import PdfReader

from klachtspoor_devtools.devstack.smtp import mail_files

RECEIPT_CODE = re.compile(r'<span class="code">(KS-\d{4}-\d{6})</span>')
SECRET = re.compile(r'<span class="code">([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})</span>')
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
_addresses = count(11)


def one_line(text: str) -> str:
    """``text`` with every run of whitespace one space (pypdf breaks lines where the PDF does)."""
    return " ".join(text.split())


def pdf_text(pdf: bytes) -> str:
    return one_line(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages))


@dataclass(frozen=True)
class Letter:
    """One letter to the parent, as the dossier lists it, the mail carried it and the dossier serves it."""

    kind: str
    notification_id: UUID
    text: str
    """The dossier's text, one line."""
    pdf: str
    """The mailed PDF's text, one line."""

    def says(self, *phrases: str) -> None:
        """Each phrase in the dossier's text and in the PDF's."""
        for phrase in phrases:
            assert one_line(phrase) in self.text, f"{self.kind} in the dossier lacks {phrase!r}:\n{self.text}"
            assert one_line(phrase) in self.pdf, f"{self.kind}'s PDF lacks {phrase!r}:\n{self.pdf}"


@dataclass
class Parent:
    """A parent filing at ``tenant`` for their child, with an e-mail address of their own."""

    stack: Stack
    tenant: str
    client: httpx.AsyncClient
    email: str = field(default_factory=lambda: f"ouder-{uuid4().hex[:10]}@example.org")
    reference: str = ""
    secret: str = ""
    case_id: UUID = field(default_factory=lambda: UUID(int=0))
    letters: dict[UUID, Letter] = field(default_factory=dict)
    """Every letter checked so far, by notification id."""

    @staticmethod
    def connection() -> httpx.AsyncClient:
        """A client of its own loopback address (the dossier's limits count per address)."""
        transport = httpx.AsyncHTTPTransport(local_address=f"127.0.0.{next(_addresses)}")
        return httpx.AsyncClient(transport=transport, timeout=30)

    @property
    def key(self) -> dict[str, str]:
        return {"reference": self.reference, "secret": self.secret}

    # Filing --------------------------------------------------------------------------------------------

    async def file(self, **fields: str) -> dict[str, Any]:
        """GET the form, POST its fields with its CSRF value, read the receipt page (201): keeps the code
        and secret it shows, and the case id from the first dossier, which it returns."""
        intake = self.stack.url("intake")
        form = await self.client.get(f"{intake}/klacht/{self.tenant}")
        assert form.status_code == 200, form.text
        assert "<script" not in form.text
        found = CSRF.search(form.text)
        assert found, "the form has no CSRF value"
        posted = {
            "csrf": found.group(1),
            "name": "Ouder van Sam",
            "email": self.email,
            "phone": "",
            "website": "",
            **fields,
        }
        receipt = await self.client.post(
            f"{intake}/klacht/{self.tenant}", data=posted, headers={"Origin": intake}
        )
        assert receipt.status_code == 201, receipt.text
        code, secret = RECEIPT_CODE.search(receipt.text), SECRET.search(receipt.text)
        assert code and secret, f"no receipt code or secret on the receipt:\n{receipt.text}"
        assert "Je klacht is ontvangen" in receipt.text
        self.reference, self.secret = code.group(1), secret.group(1)
        first = await eventually(self._first_dossier, self.stack, within=WAIT, what=f"{self.reference}")
        self.case_id = UUID(first["case_id"])
        return first

    async def _first_dossier(self) -> dict[str, Any] | None:
        """The dossier once escalation's reference index knows the code and the acknowledgement was sent."""
        answer = await self.client.post(self._dossier_url(), json=self.key)
        if answer.status_code == 404:
            return None  # the index lags the append by the subscription's delay
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body if any(letter["sent_at"] for letter in body["letters"]) else None

    # The dossier as JSON ----------------------------------------------------------------------------------

    def _dossier_url(self, path: str = "") -> str:
        return f"{self.stack.url('escalation')}/v1/public/tenants/{self.tenant}/dossier{path}"

    async def dossier(self) -> dict[str, Any]:
        answer = await self.client.post(self._dossier_url(), json=self.key)
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body

    async def command(self, name: str, key: str | None = None, **body: str) -> dict[str, Any]:
        """A dossier command (withdraw, request-next-step, …), which must be accepted; ``key`` its
        Idempotency-Key."""
        headers = {} if key is None else {"Idempotency-Key": key}
        url = self._dossier_url(f"/commands/{name}")
        answer = await self.client.post(url, json={**self.key, **body}, headers=headers)
        assert answer.status_code == 200, f"{name}: {answer.status_code} {answer.text}"
        accepted: dict[str, Any] = answer.json()
        return accepted

    async def letter(self, dossier: dict[str, Any], kind: str) -> Letter:
        """The one new letter of ``kind`` in ``dossier``, checked in the sink, downloaded with the secret."""
        [listed] = [
            found
            for found in dossier["letters"]
            if found["kind"] == kind and UUID(found["notification_id"]) not in self.letters
        ]
        assert listed["sent_at"] and listed["text"] and listed["pdf"], listed
        notification_id = UUID(listed["notification_id"])
        attached = self.attachment(notification_id, kind)
        downloaded = await self.client.post(f"{self.stack.url('escalation')}{listed['pdf']}", json=self.key)
        assert downloaded.status_code == 200, downloaded.text
        assert downloaded.headers["content-type"] == "application/pdf"
        assert downloaded.content == attached, "the dossier's PDF is not the one the mail carried"
        return self.keep(Letter(kind, notification_id, one_line(listed["text"]), pdf_text(attached)))

    def keep(self, letter: Letter) -> Letter:
        assert self.reference in letter.text and self.reference in letter.pdf, letter
        self.letters[letter.notification_id] = letter
        return letter

    # The sink ---------------------------------------------------------------------------------------------

    def mails(self) -> list[EmailMessage]:
        """Every mail the sink holds for the parent's own address."""
        found = []
        for path in mail_files(self.stack.mail_dir):
            message = read_mail(path)
            if any(address.addr_spec == self.email for address in message["To"].addresses):
                found.append(message)
        return found

    def attachment(self, notification_id: UUID, kind: str) -> bytes:
        """The PDF of the one mail for ``notification_id``, sent to the parent, named after the letter."""
        [mail] = [m for m in self.mails() if m["Message-ID"] == f"<{notification_id}@klachtspoor>"]
        [pdf] = list(mail.iter_attachments())
        assert pdf.get_content_type() == "application/pdf"
        assert pdf.get_filename() == f"{self.reference}-{kind}.pdf", pdf.get_filename()
        content = pdf.get_content()
        assert isinstance(content, bytes)
        return content

    def received_each_once(self) -> None:
        """The sink holds exactly the letters checked, one mail each, and nothing else for the parent."""
        ids = sorted(str(m["Message-ID"]) for m in self.mails())
        assert ids == sorted(f"<{n}@klachtspoor>" for n in self.letters), (ids, self.kinds())

    def kinds(self) -> list[str]:
        return [letter.kind for letter in self.letters.values()]

    # The dossier's pages, under the session cookie ---------------------------------------------------------

    async def sign_in(self) -> None:
        """The sign-in page, its form posted with the code and secret: the session cookie is set."""
        root = f"{self.stack.url('escalation')}/dossier/{self.tenant}"
        form = await self.client.get(root)
        assert form.status_code == 200, form.text
        found = CSRF.search(form.text)
        assert found, "the sign-in page has no CSRF value"
        fields = {"csrf": found.group(1), **self.key}
        opened = await self.client.post(root, data=fields, headers={"Origin": self.stack.url("escalation")})
        assert opened.status_code == 303, opened.text
        assert opened.headers["location"] == f"/dossier/{self.tenant}/zaak"

    async def page(self) -> str:
        """The dossier's page as the parent reads it: its text, one line, tags left out."""
        shown = await self.client.get(f"{self.stack.url('escalation')}/dossier/{self.tenant}/zaak")
        assert shown.status_code == 200, shown.text
        assert "<script" not in shown.text
        return shown.text

    async def page_letter(self, page: str, heading: str, kind: str) -> Letter:
        """The one new letter under ``heading`` on ``page``: its text there, its mail, and its PDF from the
        page's link (under the session), the same as the mail's."""
        found = []
        for section in page.split("<section")[1:]:
            link = re.search(rf'href="(/dossier/{self.tenant}/brieven/([0-9a-f-]+)\.pdf)"', section)
            if f">{heading}</h3>" in section and link and UUID(link.group(2)) not in self.letters:
                found.append((section, link))
        [(section, link)] = found
        text = re.search(r'<div class="letter">(.*?)</div>', section, re.DOTALL)
        assert text, section
        notification_id = UUID(link.group(2))
        attached = self.attachment(notification_id, kind)
        downloaded = await self.client.get(f"{self.stack.url('escalation')}{link.group(1)}")
        assert downloaded.status_code == 200, downloaded.text
        assert downloaded.content == attached, "the page's PDF is not the one the mail carried"
        shown = one_line(html.unescape(text.group(1)))
        return self.keep(Letter(kind, notification_id, shown, pdf_text(attached)))


def page_text(page: str) -> str:
    """The page's words, one line, without its tags (what a reader sees)."""
    return one_line(html.unescape(re.sub(r"<[^>]+>", " ", page)))
