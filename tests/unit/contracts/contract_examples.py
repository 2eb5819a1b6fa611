"""One hand-made, valid example of every event, filled so that every personal field holds a value (the
privacy tests mask them all). A test checks that the table covers the whole catalogue."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

from contracts.base import Actor, Event
from contracts.events import (
    AdmissibilityDecided,
    CaseClosed,
    CaseLinkedAsDuplicate,
    CaseReferenceAssigned,
    CaseReopened,
    CommitteeHearingHeld,
    CommitteeHearingScheduled,
    ComplaintFiled,
    ComplaintsOfficerAssigned,
    ComplaintWithdrawn,
    ConfidantContactedOrganisation,
    ConfidantContactRegistered,
    ConfidentialityLifted,
    ConsentGiven,
    ConsentWithdrawn,
    DeadlineBreached,
    DeadlineWarningReached,
    EscalatedToNextStep,
    FirstContactMade,
    InformalConversationHeld,
    JudgementGiven,
    JudgementRequested,
    MeasuresAnnounced,
    MediationConcluded,
    MediationStarted,
    NotificationFailed,
    NotificationParked,
    NotificationRequested,
    NotificationSent,
    PersonalDataErased,
    ProcedurePolicyPinned,
    ReferredExternally,
    SafetyConcernRaised,
    SignalReceived,
    TermExtended,
    TermResumed,
    TermStarted,
    TermSuspended,
)
from contracts.values import Complainant, ComplainedAbout, Term
from contracts.vocabulary import (
    AdmissibilityGround,
    AgeBand,
    Category,
    Channel,
    ComplainantCapacity,
    ConsentScope,
    ConversationResult,
    CrisisRoute,
    DeadlineKind,
    DisclosureRecipient,
    ErasureReason,
    EscalationReason,
    EscalationStep,
    ExternalBody,
    HearingForm,
    HearingParty,
    Judge,
    LiftGround,
    NotificationChannel,
    NotificationKind,
    Outcome,
    Recipient,
    ReferralReason,
    Resolution,
    Role,
    SuspensionReason,
    TermUnit,
)

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
TODAY = date(2026, 3, 2)
CASE_ID = UUID("00000000-0000-4000-8000-00000000c0de")
ID = UUID("00000000-0000-4000-8000-000000000001")
OTHER_ID = UUID("00000000-0000-4000-8000-000000000002")
ACTOR = Actor(id="staff-17", role=Role.COMPLAINTS_OFFICER)

COMPLAINANT = Complainant(
    capacity=ComplainantCapacity.LEGAL_REPRESENTATIVE,
    name="Voorbeeld Ouder",
    email="ouder@example.org",
    phone="0612345678",
    postal_address="Voorbeeldstraat 1, 1234 AB Voorbeeld",
    client_age_band=AgeBand.UNDER_12,
    preferred_channel=NotificationChannel.EMAIL,
)
ABOUT = ComplainedAbout(role=Role.CARE_WORKER, staff_id="staff-3", name="de mentor")

EVENT_EXAMPLES: list[Event] = [
    SignalReceived(
        channel=Channel.WHATSAPP,
        received_on=TODAY,
        complainant=COMPLAINANT,
        about=ABOUT,
        description="Mijn kind voelt zich niet gehoord.",
        categories=(Category.TREATMENT,),
    ),
    ComplaintFiled(
        filed_with=EscalationStep.COMPLAINTS_COMMITTEE,
        channel=Channel.WEB_FORM,
        received_on=TODAY,
        written=True,
        complainant=COMPLAINANT,
        about=ABOUT,
        description="Het gesprek heeft niets opgelost.",
        desired_outcome="Een andere begeleider.",
        conduct_on=date(2026, 1, 15),
        categories=(Category.TREATMENT, Category.INFORMATION),
    ),
    CaseReferenceAssigned(reference="KS-2026-000042"),
    ProcedurePolicyPinned(policy_id="so-trainingsbureau", policy_version=3),
    FirstContactMade(
        by_role=Role.COMPLAINTS_COMMITTEE, channel=Channel.PHONE, note="Online dossier aangemaakt."
    ),
    InformalConversationHeld(
        step=EscalationStep.MANAGER,
        held_on=TODAY,
        result=ConversationResult.UNRESOLVED,
        with_staff_id="staff-9",
        confidant_present=True,
        notes="Geen overeenstemming.",
    ),
    EscalatedToNextStep(
        from_step=EscalationStep.CARE_WORKER,
        to_step=EscalationStep.CONFIDANT,
        reason=EscalationReason.CLIENT_FEELS_UNSAFE,
        explanation="Cliënt voelt zich niet veilig bij de begeleider.",
    ),
    ComplaintsOfficerAssigned(officer_id="staff-17"),
    MediationStarted(mediator_role=Role.COMPLAINTS_OFFICER, mediator_id="staff-17"),
    MediationConcluded(result=ConversationResult.RESOLVED, agreement="Wekelijks overleg."),
    AdmissibilityDecided(
        admissible=False,
        ground=AdmissibilityGround.OLDER_THAN_ONE_YEAR,
        explanation="De gedraging vond in 2024 plaats.",
        may_turn_to=ExternalBody.OMBUDSMAN,
    ),
    JudgementRequested(judge=Judge.DIRECTOR, requested_on=TODAY, written=True),
    CommitteeHearingScheduled(hearing_id=ID, scheduled_for=NOW, form=HearingForm.ORAL),
    CommitteeHearingHeld(
        hearing_id=ID,
        form=HearingForm.ORAL,
        parties_heard=(HearingParty.COMPLAINANT, HearingParty.PERSON_COMPLAINED_ABOUT),
        members_present=3,
        chair_independent=True,
        minutes="Beide partijen gehoord.",
    ),
    JudgementGiven(
        judge=Judge.COMPLAINTS_COMMITTEE,
        outcome=Outcome.PARTLY_UPHELD,
        reasoning="Bejegening gegrond, rapportage ongegrond.",
        recommendations=("Train luistervaardigheid.", "Evalueer over drie maanden."),
        given_on=TODAY,
    ),
    MeasuresAnnounced(
        measures_taken=True,
        measures=("Training voor het team.",),
        implementation_due_on=date(2026, 6, 1),
        explanation="Naar aanleiding van het oordeel.",
    ),
    ReferredExternally(
        body=ExternalBody.DISPUTES_COMMITTEE,
        reason=ReferralReason.INTERNAL_ROUTE_EXHAUSTED,
        explanation="Nog steeds ontevreden.",
    ),
    TermStarted(
        deadline=DeadlineKind.FIRST_CONTACT,
        started_on=TODAY,
        term=Term(amount=2, unit=TermUnit.WORKING_DAYS),
        due_on=date(2026, 3, 4),
    ),
    TermExtended(
        deadline=DeadlineKind.JUDGEMENT,
        previous_due_on=date(2026, 4, 13),
        new_due_on=date(2026, 5, 11),
        reason="Hoorzitting kon niet eerder.",
        consent_id=OTHER_ID,
    ),
    TermSuspended(
        deadline=DeadlineKind.JUDGEMENT,
        reason=SuspensionReason.AWAITING_COMPLAINANT,
        explanation="Wacht op stukken.",
        suspended_on=TODAY,
    ),
    TermResumed(deadline=DeadlineKind.JUDGEMENT, resumed_on=date(2026, 3, 9)),
    DeadlineWarningReached(deadline=DeadlineKind.ADMISSIBILITY, due_on=date(2026, 3, 30)),
    DeadlineBreached(deadline=DeadlineKind.ADMISSIBILITY, due_on=date(2026, 3, 30)),
    ComplaintWithdrawn(reason="Opgelost in een gesprek."),
    CaseReopened(reason="Afspraak niet nagekomen."),
    CaseLinkedAsDuplicate(original_case_id=OTHER_ID),
    CaseClosed(resolution=Resolution.JUDGED, outcome=Outcome.UPHELD, summary="Afgerond na oordeel."),
    ConfidantContactRegistered(
        contact_id=ID,
        confidant_id="akj-5",
        contacted_on=TODAY,
        channel=Channel.CHAT,
        anonymous=False,
        client_name="Voorbeeld Jongere",
        categories=(Category.INFORMATION,),
        summary="Vragen over rechten.",
    ),
    ConfidantContactedOrganisation(consent_id=OTHER_ID, purpose="Gesprek voorbereiden."),
    SafetyConcernRaised(
        concern_id=ID,
        crisis_route=CrisisRoute.VEILIG_THUIS,
        immediate_danger=False,
        description="Zorgen over de thuissituatie.",
    ),
    ConfidentialityLifted(
        ground=LiftGround.DANGER_TO_CLIENT,
        disclosed_to=DisclosureRecipient.VEILIG_THUIS,
        discussed_with_client=True,
        justification="Direct gevaar voor de jongere.",
        concern_id=ID,
    ),
    ConsentGiven(
        consent_id=OTHER_ID,
        scope=ConsentScope.CONFIDANT_CONTACTS_ORGANISATION,
        given_by=ComplainantCapacity.CLIENT,
        written=True,
    ),
    ConsentWithdrawn(consent_id=OTHER_ID, scope=ConsentScope.CONFIDANT_CONTACTS_ORGANISATION),
    PersonalDataErased(reason=ErasureReason.RETENTION_EXPIRED),
    NotificationRequested(
        notification_id=ID,
        kind=NotificationKind.ACKNOWLEDGEMENT,
        recipient=Recipient.COMPLAINANT,
        channel=NotificationChannel.EMAIL,
    ),
    NotificationSent(
        notification_id=ID, channel=NotificationChannel.EMAIL, attempt=1, message_id="<1@klachtspoor>"
    ),
    NotificationFailed(notification_id=ID, attempt=1, error="550 mailbox unavailable", next_attempt_at=NOW),
    NotificationParked(notification_id=ID, attempts=5, reason="Retries exhausted."),
]
