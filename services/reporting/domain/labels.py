"""Dutch labels the read side shows next to codes: contracts.labels first, these where it has none.

Event types and deadline kinds have no labels in the contracts yet; they live here until they do.
A code without a label (an event type added later) is shown with ``None`` as its label, never hidden.
"""

from __future__ import annotations

from enum import StrEnum

from contracts.labels import LABELLED, label
from contracts.vocabulary import DeadlineKind

DEADLINE_LABELS: dict[DeadlineKind, str] = {
    DeadlineKind.ACKNOWLEDGEMENT: "ontvangstbevestiging",
    DeadlineKind.FIRST_CONTACT: "eerste contact",
    DeadlineKind.ADMISSIBILITY: "besluit over behandeling",
    DeadlineKind.JUDGEMENT: "oordeel",
    DeadlineKind.MEASURES_NOTICE: "melding maatregelen",
    DeadlineKind.MEASURES_IMPLEMENTATION: "uitvoering maatregelen",
    DeadlineKind.DISPUTES_COMMITTEE_FILING: "indienen bij Geschillencommissie",
    DeadlineKind.OMBUDSMAN_FILING: "indienen bij ombudsman",
    DeadlineKind.RETENTION: "bewaartermijn",
}

EVENT_TYPE_LABELS: dict[str, str] = {
    "SignalReceived": "Signaal ontvangen",
    "ComplaintFiled": "Klacht ingediend",
    "CaseReferenceAssigned": "Kenmerk toegekend",
    "ProcedurePolicyPinned": "Klachtenregeling vastgelegd",
    "FirstContactMade": "Eerste contact gelegd",
    "InformalConversationHeld": "Gesprek gevoerd",
    "EscalatedToNextStep": "Naar volgende stap",
    "ComplaintsOfficerAssigned": "Klachtenfunctionaris toegewezen",
    "MediationStarted": "Bemiddeling gestart",
    "MediationConcluded": "Bemiddeling afgerond",
    "AdmissibilityDecided": "Besluit over behandeling",
    "JudgementRequested": "Oordeel gevraagd",
    "CommitteeHearingScheduled": "Hoorzitting gepland",
    "CommitteeHearingHeld": "Hoorzitting gehouden",
    "JudgementGiven": "Oordeel gegeven",
    "MeasuresAnnounced": "Maatregelen gemeld",
    "ReferredExternally": "Extern doorverwezen",
    "TermStarted": "Termijn gestart",
    "TermExtended": "Termijn verlengd",
    "TermSuspended": "Termijn opgeschort",
    "TermResumed": "Termijn hervat",
    "DeadlineWarningReached": "Termijn verloopt bijna",
    "DeadlineBreached": "Termijn overschreden",
    "ComplaintWithdrawn": "Klacht ingetrokken",
    "CaseReopened": "Zaak heropend",
    "CaseLinkedAsDuplicate": "Gekoppeld als dubbele zaak",
    "CaseClosed": "Zaak afgesloten",
    "ConfidantContactRegistered": "Contact vertrouwenspersoon",
    "ConfidantContactedOrganisation": "Vertrouwenspersoon nam contact op",
    "SafetyConcernRaised": "Zorg over veiligheid gemeld",
    "ConfidentialityLifted": "Vertrouwelijkheid doorbroken",
    "ConsentGiven": "Toestemming gegeven",
    "ConsentWithdrawn": "Toestemming ingetrokken",
    "PersonalDataErased": "Persoonsgegevens verwijderd",
    "NotificationRequested": "Bericht klaargezet",
    "NotificationSent": "Bericht verzonden",
    "NotificationFailed": "Verzenden mislukt",
    "NotificationParked": "Bericht vraagt aandacht",
}


def vocabulary_label(value: StrEnum) -> str | None:
    """The contracts' Dutch label of a vocabulary value, or this module's, or None."""
    if type(value) in LABELLED:
        return label(value)
    if isinstance(value, DeadlineKind):
        return DEADLINE_LABELS[value]
    return None
