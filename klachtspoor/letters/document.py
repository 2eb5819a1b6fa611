"""One letter, rendered: its mail (subject, text, HTML) and its PDF, from the case's folded state and a
notification of it. Notify sends it and the case file and the complainant's dossier show it again from
the same events, so both go through here."""

from __future__ import annotations

from dataclasses import dataclass

from klachtspoor.letters.facts import letter_for, recipient_name
from klachtspoor.letters.render import MailContext, MailRenderer, RenderedMail
from klachtspoor.letters.state import CaseMailState, Notification
from klachtspoor.policies import PolicyRegistry
from klachtspoor.tenants import Tenant, TenantRegistry


@dataclass(frozen=True, slots=True)
class LetterDocument:
    template: str
    context: MailContext
    mail: RenderedMail

    def pdf(self) -> bytes:
        """The letter as PDF: the same bytes for the same events (the mail's attachment, the paper).

        fpdf2 (with fontTools and Pillow) costs each process about two seconds of CPU to import, so it
        loads with the first PDF made, not when a service starts."""
        from klachtspoor.letters.pdf import letter_pdf

        return letter_pdf(self.mail, self.context)

    @property
    def filename(self) -> str:
        """``<reference>-<kind>.pdf`` (the kind of letter is the template's first part)."""
        kind = self.template.rsplit("/", 1)[-1]
        return f"{self.context.reference}-{kind}.pdf"


def render_letter(
    state: CaseMailState,
    notification: Notification,
    tenant: Tenant,
    tenants: TenantRegistry,
    policies: PolicyRegistry,
    renderer: MailRenderer,
    name: str | None = None,
) -> LetterDocument:
    """``notification``'s letter, addressed with ``name`` (by default the name the case holds for its
    recipient: :func:`~klachtspoor.letters.facts.recipient_name`). Raises what rendering raises:
    ``LetterFactsMissing``, ``TemplateMissing``, a Jinja2 ``TemplateError``."""
    addressee = name if name is not None else recipient_name(state, notification.recipient)
    letter = letter_for(state, notification, tenant, tenants, policies, addressee)
    return LetterDocument(letter.template, letter.context, renderer.render(letter.template, letter.context))
