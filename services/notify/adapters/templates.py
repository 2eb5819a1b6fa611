"""Mails from Jinja2 templates: one file per notification kind (``<kind>.j2``) with a ``subject`` and a
``body`` block; two layouts wrap the body into the plain-text mail and its HTML alternative (greeting,
the confidant, crisis numbers, the organisation).

Each kind file is loaded by two environments: for the HTML alternative with autoescape on (a name like
``<b>Jan</b>`` arrives as text, never as markup), for the subject and the text with autoescape off (a
plain-text mail must not show ``&amp;``). Paragraphs of the body are separated by a blank line and become
``<p>`` elements. Undefined variables are errors, so a template that asks for something the context does
not have fails loudly instead of sending a mail with a gap.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, TemplateNotFound
from markupsafe import Markup

from contracts.vocabulary import DeadlineKind, NotificationKind

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

CONFIDANT = {
    "name": "AKJ (Advies- en Klachtenbureau Jeugdzorg)",
    "phone": "088 555 1000",
    "email": "info@akj.nl",
    "website": "https://www.akj.nl",
}
"""The independent confidants for youth care: organisation-level contact details, as published."""

_MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
_DEADLINES = {
    DeadlineKind.ACKNOWLEDGEMENT: "de ontvangstbevestiging",
    DeadlineKind.FIRST_CONTACT: "het eerste contact met u",
    DeadlineKind.ADMISSIBILITY: "de beslissing of uw klacht in behandeling wordt genomen",
    DeadlineKind.JUDGEMENT: "het oordeel over uw klacht",
    DeadlineKind.MEASURES_NOTICE: "het bericht over de maatregelen",
    DeadlineKind.MEASURES_IMPLEMENTATION: "het uitvoeren van de maatregelen",
    DeadlineKind.DISPUTES_COMMITTEE_FILING: "het indienen bij de Geschillencommissie",
    DeadlineKind.OMBUDSMAN_FILING: "het indienen bij de Nationale Ombudsman",
    DeadlineKind.RETENTION: "het bewaren van het dossier",
}


class TemplateMissing(LookupError):
    def __init__(self, kind: NotificationKind, directory: Path) -> None:
        super().__init__(f"No mail template for notification kind {kind!r} ({directory / f'{kind}.j2'})")


@dataclass(frozen=True, slots=True)
class MailContext:
    """Everything a template may use: the recipient's own name, the case reference, the organisation."""

    recipient_name: str | None
    reference: str
    organisation: str
    received_on: date | None = None
    first_deadline_on: date | None = None
    first_deadline: DeadlineKind | None = None


@dataclass(frozen=True, slots=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def dutch_date(value: date) -> str:
    """2 maart 2026."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def deadline_phrase(kind: DeadlineKind) -> str:
    return _DEADLINES[kind]


class MailRenderer:
    def __init__(self, directory: Path = TEMPLATES) -> None:
        self.directory = directory
        self._text = self._environment(autoescape=False)
        self._html = self._environment(autoescape=True)

    def _environment(self, *, autoescape: bool) -> Environment:
        env = Environment(
            loader=FileSystemLoader(self.directory),
            autoescape=autoescape,
            undefined=StrictUndefined,
            keep_trailing_newline=True,
        )
        env.filters["datum"] = dutch_date
        env.filters["termijn"] = deadline_phrase
        env.globals["confidant"] = CONFIDANT
        return env

    def render(self, kind: NotificationKind, context: MailContext) -> RenderedMail:
        values = asdict(context)
        subject = " ".join(self._block(self._text, kind, "subject", values).split())
        body = self._block(self._text, kind, "body", values).strip()
        text = self._text.get_template("_layout.txt.j2").render(values, subject=subject, body=body)
        escaped_body = self._block(self._html, kind, "body", values).strip()
        paragraphs = [Markup(p.strip()) for p in escaped_body.split("\n\n") if p.strip()]
        html = self._html.get_template("_layout.html.j2").render(
            values, subject=subject, paragraphs=paragraphs
        )
        return RenderedMail(subject, text.strip() + "\n", html.strip() + "\n")

    def _block(self, env: Environment, kind: NotificationKind, block: str, values: dict[str, Any]) -> str:
        template = self._template(env, kind)
        if block not in template.blocks:
            raise TemplateMissing(kind, self.directory)
        return "".join(template.blocks[block](template.new_context(values)))

    def _template(self, env: Environment, kind: NotificationKind) -> Template:
        try:
            return env.get_template(f"{kind.value}.j2")
        except TemplateNotFound:
            raise TemplateMissing(kind, self.directory) from None
