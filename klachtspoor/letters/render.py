"""Mails from Jinja2 templates: one file per template name (``<name>.j2``, the name the case's policy maps
the notification kind to, by default the kind itself) with a ``subject`` and a ``body`` block; two layouts
wrap the body into the plain-text mail and its HTML alternative (greeting, the confidant, crisis numbers,
the organisation). Every fact a letter states (terms and due dates, the confidant, the step and the next
one, the crisis lines) comes in on :class:`MailContext`, built from the case and its pinned policy by
:mod:`klachtspoor.letters.facts`; the templates hold only wording.

A template may have a variant per recipient, ``<name>.<recipient>.j2`` (``judgement.provider.j2``): a
letter to the person complained about, the provider, the committee or the case's handler uses its variant
when there is one, else the template itself (which may still branch on ``recipient``).

Each kind file is loaded by two environments: for the HTML alternative with autoescape on (a name like
``<b>Jan</b>`` arrives as text, never as markup), for the subject and the text with autoescape off (a
plain-text mail must not show ``&amp;``). Paragraphs of the body are separated by a blank line and become
``<p>`` elements. Undefined variables are errors, so a template that asks for something the context does
not have fails loudly instead of sending a mail with a gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, TemplateNotFound
from markupsafe import Markup

from contracts.labels import label
from contracts.vocabulary import DeadlineKind, Recipient
from klachtspoor.calendar.notation_nl import dutch_date
from klachtspoor.letters.lines import (
    AdmissibilityLine,
    ClosureLine,
    ExtensionLine,
    HearingLine,
    JudgementLine,
    Letterhead,
    MeasuresLine,
    RouteLine,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"

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
    def __init__(self, template: str, directory: Path) -> None:
        super().__init__(f"No mail template {str(template)!r} ({directory / f'{template}.j2'})")


@dataclass(frozen=True, slots=True)
class TermLine:
    """A running term of the case: what follows, and by when."""

    kind: DeadlineKind
    due_on: date


@dataclass(frozen=True, slots=True)
class ConfidantLine:
    """The confidant the case's policy names, as organisation-level facts only (never a person's).

    ``internal``: the organisation's own confidant, reached through the organisation (no contact of its
    own is published); ``own``: the case's organisation is the confidant organisation itself."""

    name: str
    internal: bool = False
    own: bool = False
    anonymous: bool = False
    phone: str | None = None
    email: str | None = None
    website: str | None = None


@dataclass(frozen=True, slots=True)
class CrisisLine:
    label: str
    phone: str


DEFAULT_CRISIS = (
    CrisisLine("Levensbedreigend gevaar", "112"),
    CrisisLine("Huiselijk geweld of kindermishandeling (Veilig Thuis)", "0800-2000"),
)
"""The national lines (112, Veilig Thuis) for a case without a policy that names its own."""


@dataclass(frozen=True, slots=True)
class MailContext:
    """Everything a template may use: the recipient's own name, the case reference, the organisation,
    and the facts of the case's own policy (none of them are in the templates)."""

    recipient_name: str | None
    reference: str
    organisation: str
    received_on: date | None = None
    terms: tuple[TermLine, ...] = ()
    """The terms that run, in the order they started: what the letter may promise."""
    term: TermLine | None = None
    """The term this letter is about (an extension, a suspension, a warning, a breach)."""
    confidant: ConfidantLine | None = None
    step: str | None = None
    """The label of the step the case is at, as the procedure names it."""
    next_step: str | None = None
    """The label of the next step of the ladder (None at the last one)."""
    client_chooses: bool = False
    """The complainant may go to any later step at once (else the steps are taken one by one)."""
    crisis: tuple[CrisisLine, ...] = DEFAULT_CRISIS
    recipient: Recipient = Recipient.COMPLAINANT
    """Whom the letter is to: the complainant, or whom the procedure also writes to."""
    letterhead: Letterhead | None = None
    """The organisation's letterhead (the PDF's head); None: the organisation's name only."""
    letter_date: date | None = None
    """The day the letter's request was recorded."""
    recipient_lines: tuple[str, ...] = ()
    """The address block of a letter on paper (name, postal address); empty for a mail."""
    complained_about_role: str | None = None
    """The role the complaint is about, in Dutch (``medewerker``): never a name in another's letter."""
    admissibility: AdmissibilityLine | None = None
    extension: ExtensionLine | None = None
    hearing: HearingLine | None = None
    judgement: JudgementLine | None = None
    measures: MeasuresLine | None = None
    routes: tuple[RouteLine, ...] = ()
    """Where the complainant can go after this step, with the terms for it."""
    closure: ClosureLine | None = None


@dataclass(frozen=True, slots=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def deadline_phrase(kind: DeadlineKind) -> str:
    return _DEADLINES[kind]


def sentence(text: str) -> str:
    """``text`` ended as a sentence: a full stop unless it ends in one already (a label like "Stap 2: de
    vertrouwenspersoon van Ik ben er ook!" keeps its own)."""
    return text if text.endswith((".", "!", "?")) else f"{text}."


def paragraph_lines(text: str) -> str:
    """A text from the case (a reasoning, a reason) kept inside one paragraph: its blank lines would
    otherwise start paragraphs of the letter's own."""
    return " ".join(text.split())


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
        env.filters["zin"] = sentence
        env.filters["regels"] = paragraph_lines
        env.filters["label"] = label
        return env

    def render(self, template: str, context: MailContext) -> RenderedMail:
        """The mail of template ``template`` (a name from a policy's ``templates`` map, or a
        :class:`NotificationKind`, whose value is its default template), in its variant for the
        context's recipient when there is one."""
        name = self.variant(str(template), context.recipient)
        values = {field: getattr(context, field) for field in context.__dataclass_fields__}
        subject = " ".join(self._block(self._text, name, "subject", values).split())
        body = self._block(self._text, name, "body", values).strip()
        text = self._text.get_template("_layout.txt.j2").render(values, subject=subject, body=body)
        escaped_body = self._block(self._html, name, "body", values).strip()
        paragraphs = [
            Markup("<br>\n".join(p.strip().splitlines())) for p in escaped_body.split("\n\n") if p.strip()
        ]
        html = self._html.get_template("_layout.html.j2").render(
            values, subject=subject, paragraphs=paragraphs
        )
        return RenderedMail(subject, text.strip() + "\n", html.strip() + "\n")

    def _block(self, env: Environment, name: str, block: str, values: dict[str, Any]) -> str:
        template = self._template(env, name)
        if block not in template.blocks:
            raise TemplateMissing(name, self.directory)
        return "".join(template.blocks[block](template.new_context(values)))

    def _template(self, env: Environment, name: str) -> Template:
        if name.rsplit("/", 1)[-1].startswith("_"):
            raise TemplateMissing(name, self.directory)  # a layout is not a letter
        try:
            return env.get_template(f"{name}.j2")
        except TemplateNotFound:
            raise TemplateMissing(name, self.directory) from None

    def variant(self, template: str, recipient: Recipient) -> str:
        """``<template>.<recipient>`` when that file exists (a letter to someone else than the
        complainant), else ``template``."""
        specific = f"{template}.{recipient.value}"
        return specific if self.has(specific) else template

    def has(self, template: str) -> bool:
        """Whether ``template`` names a letter of this renderer (for checking a policy's map)."""
        name = str(template)
        return not name.rsplit("/", 1)[-1].startswith("_") and (self.directory / f"{name}.j2").is_file()
