"""Every kind of letter, to each recipient the procedures write to, rendered from a case's events as a PDF:
its text read back with pypdf says what the events recorded (the ground, the reason and the new date, the
hearing's day and hour, the outcome and its reasoning, the routes onwards and their terms, the measures,
how the case ended) under the organisation's letterhead; the same events give the same bytes; and the
first page of each is turned into a PNG with poppler's pdftoppm, kept under .dev/test-artifacts/letters/
for a person to look at."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from uuid import UUID

import pytest
from pypdf import PdfReader

from contracts.events import (
    AdmissibilityDecided,
    AnyEvent,
    CaseClosed,
    CaseReferenceAssigned,
    CommitteeHearingScheduled,
    ComplaintFiled,
    ComplaintWithdrawn,
    DeadlineWarningReached,
    JudgementGiven,
    JudgementRequested,
    MeasuresAnnounced,
    NotificationRequested,
    ProcedurePolicyPinned,
    SignalReceived,
    TermExtended,
    TermStarted,
)
from contracts.values import Complainant, ComplainedAbout, Term
from contracts.vocabulary import (
    AdmissibilityGround,
    Channel,
    ComplainantCapacity,
    DeadlineKind,
    EscalationStep,
    ExternalBody,
    HearingForm,
    Judge,
    NotificationChannel,
    NotificationKind,
    Outcome,
    Recipient,
    Resolution,
    Role,
    TermUnit,
)
from klachtspoor.letters.document import LetterDocument, render_letter
from klachtspoor.letters.render import MailRenderer
from klachtspoor.letters.state import fold
from klachtspoor.policies import PolicyRegistry
from klachtspoor.tenants import TenantRegistry

REPO = Path(__file__).resolve().parents[3]
ARTIFACTS = REPO / ".dev" / "test-artifacts" / "letters"
POLICIES = PolicyRegistry.from_directory(REPO / "policies")
TENANTS = TenantRegistry.from_file(REPO / "config" / "tenants.yaml")
RENDERER = MailRenderer()
NID = UUID("00000000-0000-4000-8000-00000000d0c1")
ACKNOWLEDGED_ON = date(2026, 4, 20)
JUDGEMENT_SENT_ON = date(2026, 5, 4)
"""The judgement's letters go out after it is given (``COMMITTEE_JUDGED``, 1 May)."""
REFERENCE = "KS-2026-000042"
PARENT = "Voorbeeld Ouder"
WORKER = "Voorbeeld Begeleider"
RECEIVED = date(2026, 3, 5)


def case(tenant: str, step: EscalationStep, *more: AnyEvent) -> list[AnyEvent]:
    """A parent's complaint about a care worker at ``tenant``, pinned to its policy, then ``more``."""
    complainant = Complainant(
        capacity=ComplainantCapacity.LEGAL_REPRESENTATIVE,
        name=PARENT,
        email="ouder@example.org",
        postal_address="Dorpsstraat 3\n9999 ZZ Ergenshuizen",
    )
    about = ComplainedAbout(role=Role.CARE_WORKER, name=WORKER)
    return [
        SignalReceived(
            channel=Channel.WEB_FORM,
            received_on=RECEIVED,
            complainant=complainant,
            about=about,
            description="Mijn kind wordt niet gehoord.",
        ),
        CaseReferenceAssigned(reference=REFERENCE),
        ProcedurePolicyPinned(policy_id=TENANTS.get(tenant).policy or "", policy_version=1),
        ComplaintFiled(
            filed_with=step,
            channel=Channel.WEB_FORM,
            received_on=RECEIVED,
            written=True,
            description="Het gesprek hielp niet.",
        ),
        *more,
    ]


def letter(
    tenant: str,
    events: list[AnyEvent],
    kind: NotificationKind,
    recipient: Recipient = Recipient.COMPLAINANT,
    channel: NotificationChannel = NotificationChannel.EMAIL,
    *,
    on: date,
) -> LetterDocument:
    """The letter as sent ``on`` its day, which comes on or after every event it tells of."""
    request = NotificationRequested(notification_id=NID, kind=kind, recipient=recipient, channel=channel)
    state = fold([*events, request])
    notification = state.notification(NID)
    assert notification is not None
    dated = state.with_notification(replace(notification, requested_on=on))
    found = dated.notification(NID)
    assert found is not None
    return render_letter(dated, found, TENANTS.get(tenant), TENANTS, POLICIES, RENDERER)


def text_of(pdf: bytes, name: str) -> str:
    """The PDF's text as one line (pypdf breaks lines where the PDF does), kept with its first page as PNG."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(pdf)
    assert shutil.which("pdftoppm"), "pdftoppm is missing: `make test` installs Debian's poppler-utils"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(path),
            str(ARTIFACTS / name),
        ],
        check=True,
        timeout=60,
    )
    assert (ARTIFACTS / f"{name}.png").stat().st_size > 5_000
    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def says(text: str, *phrases: str) -> None:
    for phrase in phrases:
        assert " ".join(phrase.split()) in text, phrase


JUDGEMENT_TERM = TermStarted(
    deadline=DeadlineKind.JUDGEMENT,
    started_on=RECEIVED,
    term=Term(amount=6, unit=TermUnit.WEEKS),
    due_on=date(2026, 4, 16),
)
EXTENDED = TermExtended(
    deadline=DeadlineKind.JUDGEMENT,
    previous_due_on=date(2026, 4, 16),
    new_due_on=date(2026, 5, 14),
    reason="Wij willen eerst beide partijen horen.",
)
HEARING = CommitteeHearingScheduled(
    hearing_id=UUID("00000000-0000-4000-8000-0000000000ee"),
    scheduled_for=datetime(2026, 4, 28, 12, 30, tzinfo=UTC),  # 14.30 in Amsterdam (summer time)
    form=HearingForm.ORAL,
)
COMMITTEE_JUDGED = JudgementGiven(
    judge=Judge.COMPLAINTS_COMMITTEE,
    outcome=Outcome.PARTLY_UPHELD,
    reasoning="De afspraken over de begeleiding zijn niet nagekomen.",
    recommendations=("Leg afspraken schriftelijk vast.",),
    given_on=date(2026, 5, 1),
)
MEASURES_TERM = TermStarted(
    deadline=DeadlineKind.MEASURES_NOTICE,
    started_on=date(2026, 5, 1),
    term=Term(amount=1, unit=TermUnit.MONTHS),
    due_on=date(2026, 6, 1),
)
AT_COMMITTEE = (JudgementRequested(judge=Judge.COMPLAINTS_COMMITTEE, requested_on=RECEIVED, written=True),)
LETTERHEAD = (
    "Demo Jeugdhulp",
    "Voorbeeldstraat 1",
    "1234 AB Voorbeeldstad",
    "klachten@demo-jeugdhulp.example",
)


def test_the_acknowledgement() -> None:
    document = letter(
        "demo", case("demo", EscalationStep.CARE_WORKER), NotificationKind.ACKNOWLEDGEMENT, on=ACKNOWLEDGED_ON
    )
    text = text_of(document.pdf(), "acknowledgement")
    says(text, *LETTERHEAD, "Datum 20 april 2026", f"Kenmerk {REFERENCE}", f"Beste {PARENT},")
    says(text, "Wij hebben uw melding van 5 maart 2026 goed ontvangen")


def test_the_admissibility_notice_names_the_ground_and_where_to_go() -> None:
    decided = AdmissibilityDecided(
        admissible=False,
        ground=AdmissibilityGround.OLDER_THAN_ONE_YEAR,
        explanation="De gebeurtenis was in 2023.",
        may_turn_to=ExternalBody.OMBUDSMAN,
    )
    events = case("lsr", EscalationStep.COMPLAINTS_COMMITTEE, decided)
    document = letter("lsr", events, NotificationKind.ADMISSIBILITY_DECISION, on=date(2026, 3, 19))
    text = text_of(document.pdf(), "admissibility_decision")
    says(
        text,
        "LSR Vertrouwenswerk en klachtopvang",
        "Uw klacht KS-2026-000042 wordt niet in behandeling genomen",
        "De grond daarvoor is: gedraging langer dan een jaar voor indiening. De gebeurtenis was in 2023.",
        "Dan kunt u zich wenden tot de Nationale ombudsman.",
    )


def test_the_extension_notice_gives_the_reason_and_the_new_date_also_to_the_person_complained_about() -> None:
    events = case("lsr", EscalationStep.COMPLAINTS_COMMITTEE, *AT_COMMITTEE, JUDGEMENT_TERM, EXTENDED)
    text = text_of(
        letter("lsr", events, NotificationKind.TERM_EXTENDED, on=date(2026, 4, 10)).pdf(), "term_extended"
    )
    says(
        text,
        "verlengd van 16 april 2026 tot uiterlijk 14 mei 2026",
        "De reden van de verlenging: Wij willen eerst beide partijen horen.",
    )
    on_paper = letter(
        "lsr",
        events,
        NotificationKind.TERM_EXTENDED,
        Recipient.PERSON_COMPLAINED_ABOUT,
        NotificationChannel.LETTER,
        on=date(2026, 4, 10),
    )
    text = text_of(on_paper.pdf(), "term_extended.person_complained_about")
    says(
        text,
        WORKER,
        f"Beste {WORKER},",
        "die over u gaat, is verlengd van 16 april 2026 tot uiterlijk 14 mei",
    )
    assert PARENT not in text, "the letter to the person complained about names no complainant"


def test_the_hearing_invitation_gives_the_day_and_the_hour() -> None:
    events = case("save-veilig-thuis-utrecht", EscalationStep.COMPLAINTS_COMMITTEE, *AT_COMMITTEE, HEARING)
    document = letter(
        "save-veilig-thuis-utrecht",
        events,
        NotificationKind.HEARING_INVITATION,
        channel=NotificationChannel.LETTER,
        on=date(2026, 4, 14),
    )
    text = text_of(document.pdf(), "hearing_invitation")
    says(
        text,
        "SAVE Jeugdbescherming en Veilig Thuis Utrecht",
        f"{PARENT} Dorpsstraat 3 9999 ZZ Ergenshuizen",  # the address block of a letter on paper
        "voor de hoorzitting over uw klacht met kenmerk KS-2026-000042, op 28 april 2026 om 14.30 uur",
    )


def test_the_judgement_gives_its_reasoning_and_the_routes_onwards_with_their_terms() -> None:
    filing = TermStarted(
        deadline=DeadlineKind.DISPUTES_COMMITTEE_FILING,
        started_on=RECEIVED,
        term=Term(amount=1, unit=TermUnit.YEARS),
        due_on=date(2027, 3, 5),
    )
    director = COMMITTEE_JUDGED.model_copy(update={"judge": Judge.DIRECTOR})
    asked = JudgementRequested(judge=Judge.DIRECTOR, requested_on=RECEIVED, written=True)
    events = case(
        "so-trainingsbureau", EscalationStep.COMPLAINTS_OFFICER, filing, asked, director, MEASURES_TERM
    )
    text = text_of(
        letter("so-trainingsbureau", events, NotificationKind.JUDGEMENT, on=JUDGEMENT_SENT_ON).pdf(),
        "judgement",
    )
    says(
        text,
        "De directeur heeft op 1 mei 2026 een oordeel gegeven",
        "Het oordeel is: uw klacht is deels gegrond.",
        "De motivering: De afspraken over de begeleiding zijn niet nagekomen.",
        "- Leg afspraken schriftelijk vast.",
        "Uiterlijk op 1 juni 2026 laat SO! Trainingsbureau u schriftelijk weten",
        "- Geschillencommissie Zorg: de Geschillencommissie Zorg geeft een bindend advies",
        "Dat kan tot en met 5 maart 2027.",
        "- SKJ-tuchtrecht:",
    )


def test_without_a_running_filing_term_the_route_states_the_policys_term() -> None:
    director = COMMITTEE_JUDGED.model_copy(update={"judge": Judge.DIRECTOR})
    asked = JudgementRequested(judge=Judge.DIRECTOR, requested_on=RECEIVED, written=True)
    events = case("so-trainingsbureau", EscalationStep.COMPLAINTS_OFFICER, asked, director)
    document = letter("so-trainingsbureau", events, NotificationKind.JUDGEMENT, on=JUDGEMENT_SENT_ON)
    assert "Dat kan binnen 1 jaar na indiening van de klacht bij SO! Trainingsbureau." in document.mail.text


def test_the_judgement_to_the_provider_and_to_the_person_complained_about() -> None:
    events = case("demo", EscalationStep.COMPLAINTS_COMMITTEE, *AT_COMMITTEE, COMMITTEE_JUDGED, MEASURES_TERM)
    provider = text_of(
        letter("demo", events, NotificationKind.JUDGEMENT, Recipient.PROVIDER, on=JUDGEMENT_SENT_ON).pdf(),
        "judgement.provider",
    )
    says(
        provider,
        "over een medewerker. Het oordeel is: de klacht is deels gegrond.",
        "Laat de klager en de klachtencommissie uiterlijk op 1 juni 2026 schriftelijk weten",
    )
    assert PARENT not in provider and WORKER not in provider
    person = letter(
        "demo",
        events,
        NotificationKind.JUDGEMENT,
        Recipient.PERSON_COMPLAINED_ABOUT,
        NotificationChannel.LETTER,
        on=JUDGEMENT_SENT_ON,
    )
    text = text_of(person.pdf(), "judgement.person_complained_about")
    says(text, f"Beste {WORKER},", "die over u gaat. Het oordeel is: de klacht is deels gegrond.")


def test_the_measures_to_the_complainant_and_the_committee() -> None:
    measures = MeasuresAnnounced(
        measures_taken=True,
        measures=("Elk team bespreekt de klacht.",),
        implementation_due_on=date(2026, 9, 1),
    )
    events = case("demo", EscalationStep.COMPLAINTS_COMMITTEE, *AT_COMMITTEE, COMMITTEE_JUDGED, measures)
    text = text_of(letter("demo", events, NotificationKind.MEASURES, on=date(2026, 5, 25)).pdf(), "measures")
    says(
        text,
        "neemt Demo Jeugdhulp de volgende maatregelen: - Elk team bespreekt de klacht.",
        "uiterlijk op 1 september 2026",
    )
    committee = letter(
        "demo", events, NotificationKind.MEASURES, Recipient.COMPLAINTS_COMMITTEE, on=date(2026, 5, 25)
    )
    says(text_of(committee.pdf(), "measures.complaints_committee"), "Naar aanleiding van uw oordeel")


def test_the_closure_and_the_withdrawal() -> None:
    closed = CaseClosed(resolution=Resolution.JUDGED, outcome=Outcome.PARTLY_UPHELD)
    events = case("demo", EscalationStep.COMPLAINTS_COMMITTEE, closed)
    says(
        text_of(
            letter("demo", events, NotificationKind.CASE_CLOSED, on=date(2026, 6, 8)).pdf(), "case_closed"
        ),
        "De zaak is afgesloten als: oordeel gegeven (oordeel: deels gegrond).",
    )
    withdrawn = case("ik-ben-er-ook", EscalationStep.CARE_WORKER, ComplaintWithdrawn())
    says(
        text_of(
            letter(
                "ik-ben-er-ook", withdrawn, NotificationKind.WITHDRAWAL_CONFIRMED, on=date(2026, 3, 12)
            ).pdf(),
            "withdrawal_confirmed",
        ),
        "Ik ben er ook! Kindercoaching en Begeleiding",
        "U heeft uw klacht met kenmerk KS-2026-000042 ingetrokken.",
    )


@pytest.mark.parametrize("kind", [NotificationKind.DEADLINE_WARNING, NotificationKind.DEADLINE_BREACHED])
def test_the_handlers_deadline_mail(kind: NotificationKind) -> None:
    warned = DeadlineWarningReached(deadline=DeadlineKind.JUDGEMENT, due_on=date(2026, 4, 16))
    events = case("demo", EscalationStep.COMPLAINTS_COMMITTEE, *AT_COMMITTEE, JUDGEMENT_TERM, warned)
    # the warning comes before the term's end, the breach the day after it
    day = date(2026, 4, 9) if kind is NotificationKind.DEADLINE_WARNING else date(2026, 4, 17)
    document = letter("demo", events, kind, Recipient.CASE_HANDLER, on=day)
    text = text_of(document.pdf(), f"{kind.value}.case_handler")
    says(text, "De termijn voor oordeel bij de zaak met kenmerk KS-2026-000042", "16 april 2026")
    assert PARENT not in text and WORKER not in text
    assert "Levensbedreigend" not in text, "the crisis lines are for the complainant's letters"


def test_the_same_events_give_the_same_pdf() -> None:
    events = case("demo", EscalationStep.COMPLAINTS_COMMITTEE, *AT_COMMITTEE, COMMITTEE_JUDGED, MEASURES_TERM)
    first = letter("demo", events, NotificationKind.JUDGEMENT, on=JUDGEMENT_SENT_ON).pdf()
    assert letter("demo", events, NotificationKind.JUDGEMENT, on=JUDGEMENT_SENT_ON).pdf() == first
    metadata = PdfReader(BytesIO(first)).metadata
    assert metadata is not None and metadata.creation_date is not None
    assert metadata.creation_date.date() == JUDGEMENT_SENT_ON, (
        "the creation date is the letter's, not the clock's"
    )
