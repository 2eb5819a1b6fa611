"""Mail rendering: Dutch text, the reference and the organisation, the facts passed in (terms, confidant,
steps, crisis lines), HTML escaping; every template every shipped policy names renders."""

from __future__ import annotations

from datetime import UTC, date, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from contracts.vocabulary import DeadlineKind, NotificationKind
from klachtspoor.letters.render import (
    ConfidantLine,
    MailContext,
    MailRenderer,
    TemplateMissing,
    TermLine,
    dutch_date,
    sentence,
)
from klachtspoor.policies import PolicyRegistry
from services.notify.adapters.message import Addressing, build_message

REPO = Path(__file__).resolve().parents[3]
FIRST_CONTACT = TermLine(DeadlineKind.FIRST_CONTACT, date(2026, 3, 9))
CONTEXT = MailContext(
    recipient_name="Sam de Vries",
    reference="KS-2026-000042",
    organisation="Jeugdhulp Voorbeeldstad",
    received_on=date(2026, 3, 5),
    terms=(FIRST_CONTACT,),
    term=FIRST_CONTACT,
    confidant=ConfidantLine(
        name="Vertrouwenswerk Voorbeeld", anonymous=True, phone="088 000 0000", email="info@example.org"
    ),
    step="Gesprek met de medewerker",
    next_step="Gesprek met de leidinggevende",
)


CONTEXT_DATE = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def renderer() -> MailRenderer:
    return MailRenderer()


def test_the_acknowledgement_says_the_facts_it_is_given(renderer: MailRenderer) -> None:
    mail = renderer.render(NotificationKind.ACKNOWLEDGEMENT, CONTEXT)

    assert mail.subject == "Ontvangstbevestiging van uw melding KS-2026-000042"
    assert mail.text.startswith("Beste Sam de Vries,\n")
    for expected in (
        "Wij hebben uw melding van 5 maart 2026 goed ontvangen",
        "Jeugdhulp Voorbeeldstad",
        "Uw melding ligt bij deze stap: Gesprek met de medewerker.",
        "Uiterlijk op 9 maart 2026 volgt het eerste contact met u.",
        "de volgende stap: Gesprek met de leidinggevende.",
        "De stappen worden één voor één gezet.",
        "Een vertrouwenspersoon van Vertrouwenswerk Voorbeeld helpt u gratis",
        "088 000 0000",
        "info@example.org",
    ):
        assert expected in mail.text, expected
        assert expected in mail.html, expected
    assert mail.text.count("KS-2026-000042") >= 2


def test_without_a_known_deadline_or_name_the_mail_still_reads_well(renderer: MailRenderer) -> None:
    bare = MailContext(recipient_name=None, reference="KS-1", organisation="Org")
    mail = renderer.render(NotificationKind.ACKNOWLEDGEMENT, bare)
    assert mail.text.startswith("Beste meneer, mevrouw,\n")
    assert "Uiterlijk" not in mail.text
    assert "vertrouwenspersoon" not in mail.text  # no policy, no confidant to name
    assert "Levensbedreigend gevaar: bel 112." in mail.text
    assert "None" not in mail.text + mail.html


def test_html_is_escaped_and_plain_text_is_not(renderer: MailRenderer) -> None:
    hostile = MailContext(
        recipient_name="<script>alert('x')</script> & Co", reference="KS-1", organisation="Org & Zorg"
    )
    mail = renderer.render(NotificationKind.ACKNOWLEDGEMENT, hostile)
    assert "<script>" not in mail.html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co" in mail.html
    assert "Org &amp; Zorg" in mail.html
    assert "Beste <script>alert('x')</script> & Co," in mail.text
    assert "&amp;" not in mail.text


def _policy_templates() -> list[tuple[str, NotificationKind, str]]:
    registry = PolicyRegistry.from_directory(REPO / "policies")
    return [
        (f"{policy_id} v{version}", kind, template)
        for policy_id in registry.ids
        for version in registry.versions(policy_id)
        for kind, template in registry.get(policy_id, version).templates.items()
    ]


@pytest.mark.parametrize("kind", list(NotificationKind))
def test_every_kind_has_a_dutch_mail_naming_the_reference(
    renderer: MailRenderer, kind: NotificationKind
) -> None:
    mail = renderer.render(kind, CONTEXT)
    assert "KS-2026-000042" in mail.subject
    assert "\n" not in mail.subject
    assert "Met vriendelijke groet" in mail.text
    assert mail.html.count("<p>") >= 3
    assert '<html lang="nl">' in mail.html


@pytest.mark.parametrize(("policy", "kind", "template"), _policy_templates())
def test_every_template_a_policy_names_exists_and_renders(
    renderer: MailRenderer, policy: str, kind: NotificationKind, template: str
) -> None:
    assert renderer.has(template), f"{policy}: templates.{kind} names {template!r}, not a notify template"
    mail = renderer.render(template, CONTEXT)
    assert "KS-2026-000042" in mail.subject
    assert "\n" not in mail.subject
    assert "Met vriendelijke groet" in mail.text
    assert mail.html.count("<p>") >= 3
    assert '<html lang="nl">' in mail.html


def test_a_missing_template_is_a_named_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateMissing, match="acknowledgement"):
        MailRenderer(tmp_path).render(NotificationKind.ACKNOWLEDGEMENT, CONTEXT)


def test_a_layout_is_not_a_letter(renderer: MailRenderer) -> None:
    assert not renderer.has("_layout.txt") and not renderer.has("_layout")
    with pytest.raises(TemplateMissing, match="_layout"):
        renderer.render("_layout.txt", CONTEXT)


def test_the_message_carries_both_alternatives_and_the_deterministic_message_id(
    renderer: MailRenderer,
) -> None:
    mail = renderer.render(NotificationKind.ACKNOWLEDGEMENT, CONTEXT)
    message = build_message(
        mail,
        Addressing(
            message_id="<n-1@klachtspoor>",
            sender_name="Klachtenregeling Voorbeeldstad",
            sender="klachten@klachtspoor.example",
            to_name="Sam de Vries",
            to="sam@example.org",
            date=CONTEXT_DATE,
        ),
    )
    parsed = BytesParser(policy=policy.default).parsebytes(message.data)
    assert parsed["Message-ID"] == "<n-1@klachtspoor>"
    assert parsed["Subject"] == mail.subject
    assert parsed["To"] == "Sam de Vries <sam@example.org>"
    assert parsed.get_content_type() == "multipart/alternative"
    plain, html = parsed.get_body(("plain",)), parsed.get_body(("html",))
    assert plain is not None and html is not None
    # the bytes as they go over SMTP, with CRLF line ends, which a mail program reads as line breaks
    assert plain.get_content().replace("\r\n", "\n") == mail.text
    assert html.get_content().replace("\r\n", "\n") == mail.html


def test_dates_are_written_the_dutch_way() -> None:
    assert [dutch_date(date(2026, m, d)) for m, d in ((1, 1), (5, 15), (12, 31))] == [
        "1 januari 2026",
        "15 mei 2026",
        "31 december 2026",
    ]


def test_a_label_becomes_a_sentence_without_doubled_punctuation() -> None:
    assert [sentence(t) for t in ("Gesprek met de medewerker", "Stap 2: bij Ik ben er ook!")] == [
        "Gesprek met de medewerker.",
        "Stap 2: bij Ik ben er ook!",
    ]
