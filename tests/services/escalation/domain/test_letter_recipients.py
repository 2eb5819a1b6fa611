"""Whom a case's letters go to besides the complainant: the law of the procedure's regime where the policy
is silent (Jeugdwet: the judgement to the person complained about and the provider, the measures to the
committee that judged; Awb: an extension to the person complained about), the policy's ``recipients``
where it speaks, the person complained about only when the complaint names someone (on paper), the
confidant only while the complainant's consent to that holds, and the complainant on paper (or not at all)
once they withdrew the consent to be mailed."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

from lifecycle_given import (
    COMMITTEE,
    THURSDAY,
    case_spec,
    command,
    copy,
    filed,
    notice,
    opened,
    requested,
    started,
    weeks,
)

from contracts.commands import AnnounceMeasures, ExtendTerm, GiveJudgement
from contracts.events import (
    AnyEvent,
    CommitteeHearingHeld,
    ConsentGiven,
    ConsentWithdrawn,
    DossierSecretIssued,
    NotificationRequested,
    SignalReceived,
)
from contracts.policy import ProcedurePolicy, Regime
from contracts.values import Complainant, ComplainedAbout
from contracts.vocabulary import (
    ComplainantCapacity,
    ConsentScope,
    DeadlineKind,
    EscalationStep,
    HearingForm,
    HearingParty,
    Judge,
    NotificationChannel,
    NotificationKind,
    Outcome,
    Recipient,
    Role,
)

ABOUT = ComplainedAbout(role=Role.CARE_WORKER)
CONSENT = UUID("00000000-0000-4000-8000-00000000c0c0")
HEARING = UUID("00000000-0000-4000-8000-0000000000ee")
JUDGEMENT = NotificationKind.JUDGEMENT


def opened_about(
    policy: ProcedurePolicy, about: ComplainedAbout | None, *, anonymous: bool = False
) -> list[AnyEvent]:
    """A signal about ``about`` (named or anonymous) on a case pinned to ``policy``."""
    opening, pin = opened(policy)
    assert isinstance(opening, SignalReceived)
    if anonymous:
        nobody = Complainant(capacity=ComplainantCapacity.CLIENT)
        return [opening.model_copy(update={"about": about, "anonymous": True, "complainant": nobody}), pin]
    return [opening.model_copy(update={"about": about}), pin]


def heard(
    about: ComplainedAbout | None = ABOUT, *, anonymous: bool = False, postal_address: str | None = None
) -> list[AnyEvent]:
    opening = opened_about(COMMITTEE, about, anonymous=anonymous)
    if postal_address is not None:
        signal = opening[0]
        assert isinstance(signal, SignalReceived)
        reachable = signal.complainant.model_copy(update={"postal_address": postal_address})
        opening = [signal.model_copy(update={"complainant": reachable}), *opening[1:]]
    return [
        *opening,
        filed(EscalationStep.COMPLAINTS_COMMITTEE),
        requested(Judge.COMPLAINTS_COMMITTEE),
        CommitteeHearingHeld(
            hearing_id=HEARING,
            form=HearingForm.ORAL,
            parties_heard=(HearingParty.COMPLAINANT, HearingParty.PERSON_COMPLAINED_ABOUT),
            members_present=3,
            chair_independent=True,
        ),
    ]


def judgement() -> GiveJudgement:
    return command(
        GiveJudgement,
        judge=Judge.COMPLAINTS_COMMITTEE,
        outcome=Outcome.UPHELD,
        reasoning="Afspraken niet nagekomen.",
        given_on=date(2026, 4, 10),
    )


def requests(decided: list[AnyEvent]) -> list[NotificationRequested]:
    return [event for event in decided if isinstance(event, NotificationRequested)]


def test_a_committees_judgement_goes_to_the_complainant_the_person_complained_about_and_the_provider() -> (
    None
):
    decided = case_spec(COMMITTEE).given(heard()).when(judgement()).decided()
    assert requests(decided) == [
        notice(JUDGEMENT),
        copy(JUDGEMENT, Recipient.PERSON_COMPLAINED_ABOUT),
        copy(JUDGEMENT, Recipient.PROVIDER),
    ]


def test_nobody_named_gets_no_letter_and_the_measures_go_to_the_committee_that_judged() -> None:
    decided = case_spec(COMMITTEE).given(heard(about=None)).when(judgement()).decided()
    assert [r.recipient for r in requests(decided)] == [Recipient.COMPLAINANT, Recipient.PROVIDER]
    judged = [*heard(), *decided]
    measures = command(AnnounceMeasures, measures_taken=False, explanation="Geen structureel probleem.")
    announced = requests(case_spec(COMMITTEE).given(judged).when(measures).decided())
    assert announced == [
        notice(NotificationKind.MEASURES),
        copy(NotificationKind.MEASURES, Recipient.COMPLAINTS_COMMITTEE),
    ]


def test_the_policys_recipients_replace_the_regimes_rule() -> None:
    only_the_complainant = COMMITTEE.model_copy(update={"recipients": {JUDGEMENT: ()}})
    decided = case_spec(only_the_complainant).given(heard()).when(judgement()).decided()
    assert requests(decided) == [notice(JUDGEMENT)]


def test_under_the_awb_an_extension_is_written_to_the_person_complained_about_too() -> None:
    awb = COMMITTEE.model_copy(update={"regime": Regime.AWB})
    given = [
        *opened_about(awb, ABOUT),
        filed(EscalationStep.COMPLAINTS_COMMITTEE),
        requested(Judge.COMPLAINTS_COMMITTEE),
        started(DeadlineKind.JUDGEMENT, THURSDAY, weeks(6)),
    ]
    extension = command(
        ExtendTerm,
        now=datetime(2026, 4, 1, 9, tzinfo=UTC),
        deadline=DeadlineKind.JUDGEMENT,
        new_due_on=date(2026, 5, 14),
        reason="Wij horen eerst beide partijen.",
    )
    decided = requests(case_spec(awb).given(given).when(extension).decided())
    purpose = DeadlineKind.JUDGEMENT.value
    assert decided == [
        notice(NotificationKind.TERM_EXTENDED, purpose),
        copy(NotificationKind.TERM_EXTENDED, Recipient.PERSON_COMPLAINED_ABOUT, purpose),
    ]
    assert decided[1].channel.value == "letter"  # the case holds no address of that person's


def test_the_confidant_gets_the_letters_only_under_the_complainants_consent() -> None:
    consent = ConsentGiven(
        consent_id=CONSENT,
        scope=ConsentScope.CORRESPONDENCE_VIA_CONFIDANT,
        given_by=ComplainantCapacity.LEGAL_REPRESENTATIVE,
        written=True,
    )
    decided = requests(case_spec(COMMITTEE).given([*heard(), consent]).when(judgement()).decided())
    assert copy(JUDGEMENT, Recipient.CONFIDANT) in decided
    withdrawn = ConsentWithdrawn(consent_id=CONSENT, scope=ConsentScope.CORRESPONDENCE_VIA_CONFIDANT)
    later = requests(case_spec(COMMITTEE).given([*heard(), consent, withdrawn]).when(judgement()).decided())
    assert all(r.recipient is not Recipient.CONFIDANT for r in later)


def test_an_anonymous_complainant_without_a_dossier_gets_no_letter_but_the_others_do() -> None:
    decided = requests(case_spec(COMMITTEE).given(heard(anonymous=True)).when(judgement()).decided())
    assert [r.recipient for r in decided] == [Recipient.PERSON_COMPLAINED_ABOUT, Recipient.PROVIDER]


def test_once_the_consent_to_mail_is_withdrawn_the_complainants_letters_go_on_paper_or_not_at_all() -> None:
    given = ConsentGiven(
        consent_id=CONSENT,
        scope=ConsentScope.EMAIL_CORRESPONDENCE,
        given_by=ComplainantCapacity.LEGAL_REPRESENTATIVE,
        written=True,
    )
    withdrawn = ConsentWithdrawn(consent_id=CONSENT, scope=ConsentScope.EMAIL_CORRESPONDENCE)
    address = "Voorbeeldstraat 1, 1234 AB Voorbeeldstad"
    mailed = requests(
        case_spec(COMMITTEE).given(heard(None, postal_address=address)).when(judgement()).decided()
    )
    assert mailed == [notice(JUDGEMENT), copy(JUDGEMENT, Recipient.PROVIDER)]  # the e-mail address consents

    on_paper = [*heard(None, postal_address=address), given, withdrawn]
    decided = requests(case_spec(COMMITTEE).given(on_paper).when(judgement()).decided())
    assert decided == [
        notice(JUDGEMENT).model_copy(update={"channel": NotificationChannel.LETTER}),
        copy(JUDGEMENT, Recipient.PROVIDER),
    ]
    nowhere = requests(
        case_spec(COMMITTEE).given([*heard(None), given, withdrawn]).when(judgement()).decided()
    )
    assert nowhere == [copy(JUDGEMENT, Recipient.PROVIDER)]  # no address, no dossier: no letter asked
    dossier = DossierSecretIssued(secret_hash="scrypt$dossier")
    in_dossier = requests(
        case_spec(COMMITTEE).given([*heard(None), dossier, given, withdrawn]).when(judgement()).decided()
    )
    assert in_dossier[0] == notice(JUDGEMENT).model_copy(update={"channel": NotificationChannel.DOSSIER})

    again = given.model_copy(update={"consent_id": UUID("00000000-0000-4000-8000-00000000c0c1")})
    given_again = [*heard(None), given, withdrawn, again]
    assert requests(case_spec(COMMITTEE).given(given_again).when(judgement()).decided())[0] == notice(
        JUDGEMENT
    )


def test_an_anonymous_complainant_with_a_dossier_gets_the_letter_there_and_the_copies_are_unchanged() -> None:
    given = [*heard(anonymous=True), DossierSecretIssued(secret_hash="scrypt$dossier")]
    decided = requests(case_spec(COMMITTEE).given(given).when(judgement()).decided())
    in_dossier = notice(JUDGEMENT).model_copy(update={"channel": NotificationChannel.DOSSIER})
    assert decided == [
        in_dossier,
        copy(JUDGEMENT, Recipient.PERSON_COMPLAINED_ABOUT),
        copy(JUDGEMENT, Recipient.PROVIDER),
    ]
