"""Dutch labels for the vocabulary values people read in letters, mails and dashboards."""

from __future__ import annotations

from enum import StrEnum

from contracts.vocabulary import (
    AdmissibilityGround,
    Category,
    Channel,
    ComplainantCapacity,
    ContactKind,
    CrisisRoute,
    DeadlineKind,
    ErasureReason,
    EscalationStep,
    ExternalBody,
    Outcome,
    Resolution,
    Role,
)

_LABELS: dict[type[StrEnum], dict[str, str]] = {
    Role: {
        Role.CLIENT: "cliënt",
        Role.LEGAL_REPRESENTATIVE: "wettelijk vertegenwoordiger",
        Role.AUTHORISED_PERSON: "gemachtigde",
        Role.SURVIVING_RELATIVE: "nabestaande",
        Role.CARE_WORKER: "medewerker",
        Role.MANAGER: "leidinggevende",
        Role.CONFIDANT: "vertrouwenspersoon",
        Role.COMPLAINTS_OFFICER: "klachtenfunctionaris",
        Role.DIRECTOR: "directeur",
        Role.COMPLAINTS_COMMITTEE: "klachtencommissie",
        Role.MUNICIPAL_GENERALIST: "generalist (gemeente)",
        Role.OFFICE_MANAGER: "officemanager",
        Role.ADMINISTRATOR: "beheerder",
        Role.AUDITOR: "auditor",
        Role.PRIVACY_OFFICER: "functionaris gegevensbescherming",
        Role.SYSTEM: "systeem",
    },
    Channel: {
        Channel.IN_PERSON: "gesprek",
        Channel.PHONE: "telefoon",
        Channel.EMAIL: "e-mail",
        Channel.WHATSAPP: "WhatsApp",
        Channel.CHAT: "chat",
        Channel.LETTER: "brief",
        Channel.WEB_FORM: "webformulier",
        Channel.OTHER: "anders",
    },
    ErasureReason: {
        ErasureReason.RETENTION_EXPIRED: "bewaartermijn verstreken",
        ErasureReason.ERASURE_REQUEST: "verzoek tot verwijdering",
    },
    ContactKind: {
        ContactKind.INFORMATION: "informatie",
        ContactKind.ADVICE: "advies",
        ContactKind.SUPPORT: "ondersteuning",
        ContactKind.MEDIATION: "bemiddeling",
    },
    Category: {
        Category.TREATMENT: "bejegening",
        Category.REPORTING: "rapportage",
        Category.INFORMATION: "informatieverstrekking",
        Category.PROCEDURE: "procedureel",
        Category.COMPLAINT_HANDLING: "klachtenafhandeling",
        Category.OTHER: "overig",
    },
    Outcome: {
        Outcome.UPHELD: "gegrond",
        Outcome.PARTLY_UPHELD: "deels gegrond",
        Outcome.REJECTED: "ongegrond",
    },
    AdmissibilityGround: {
        AdmissibilityGround.PREVIOUSLY_HANDLED: "eerder volgens de regeling afgehandeld",
        AdmissibilityGround.OLDER_THAN_ONE_YEAR: "gedraging langer dan een jaar voor indiening",
        AdmissibilityGround.OBJECTION_OR_APPEAL_POSSIBLE: "bezwaar of beroep stond open",
        AdmissibilityGround.JUDICIAL_PROCEEDINGS: "er loopt een gerechtelijke procedure",
        AdmissibilityGround.CRIMINAL_INVESTIGATION: "er loopt een opsporingsonderzoek of strafzaak",
        AdmissibilityGround.INTEREST_TOO_SMALL: "belang kennelijk onvoldoende",
        AdmissibilityGround.COMPLAINANT_NOT_ENTITLED: "indiener is niet klachtgerechtigd",
        AdmissibilityGround.OTHER_COMPLAINT_REGIME: "valt onder een ander klachtrecht",
    },
    ExternalBody: {
        ExternalBody.DISPUTES_COMMITTEE: "Geschillencommissie Zorg",
        ExternalBody.SKJ_DISCIPLINARY: "SKJ-tuchtrecht",
        ExternalBody.OMBUDSMAN: "Nationale ombudsman",
        ExternalBody.INSPECTORATE: "Inspectie Gezondheidszorg en Jeugd",
    },
    CrisisRoute: {
        CrisisRoute.EMERGENCY_112: "112",
        CrisisRoute.VEILIG_THUIS: "Veilig Thuis (0800-2000)",
        CrisisRoute.ASSIGNED_WORKER: "eigen medewerker (kantooruren)",
        CrisisRoute.OUT_OF_HOURS_LINE: "nummer buiten kantooruren",
    },
    EscalationStep: {
        EscalationStep.CARE_WORKER: "medewerker",
        EscalationStep.MANAGER: "leidinggevende",
        EscalationStep.CONFIDANT: "vertrouwenspersoon",
        EscalationStep.COMPLAINTS_OFFICER: "klachtenfunctionaris",
        EscalationStep.MUNICIPAL_GENERALIST: "generalist (gemeente)",
        EscalationStep.DIRECTOR: "directeur",
        EscalationStep.COMPLAINTS_COMMITTEE: "klachtencommissie",
    },
    DeadlineKind: {
        DeadlineKind.ACKNOWLEDGEMENT: "ontvangstbevestiging",
        DeadlineKind.FIRST_CONTACT: "eerste contact",
        DeadlineKind.ADMISSIBILITY: "besluit over behandeling",
        DeadlineKind.JUDGEMENT: "oordeel",
        DeadlineKind.MEASURES_NOTICE: "melding maatregelen",
        DeadlineKind.MEASURES_IMPLEMENTATION: "uitvoering maatregelen",
        DeadlineKind.DISPUTES_COMMITTEE_FILING: "indienen bij Geschillencommissie",
        DeadlineKind.OMBUDSMAN_FILING: "indienen bij ombudsman",
        DeadlineKind.RETENTION: "bewaartermijn",
    },
    Resolution: {
        Resolution.RESOLVED_INFORMALLY: "informeel opgelost",
        Resolution.MEDIATED: "opgelost door bemiddeling",
        Resolution.JUDGED: "oordeel gegeven",
        Resolution.WITHDRAWN: "ingetrokken",
        Resolution.INADMISSIBLE: "niet in behandeling genomen",
        Resolution.REFERRED_EXTERNALLY: "extern doorverwezen",
        Resolution.DUPLICATE: "dubbel",
    },
}
_LABELS[ComplainantCapacity] = {c: _LABELS[Role][c.value] for c in ComplainantCapacity}

LABELLED: tuple[type[StrEnum], ...] = (
    Role,
    ComplainantCapacity,
    Channel,
    Category,
    ContactKind,
    Outcome,
    AdmissibilityGround,
    ExternalBody,
    CrisisRoute,
    EscalationStep,
    DeadlineKind,
    Resolution,
)
"""The vocabularies that have a Dutch label for every value."""


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
    "AdviceContactRegistered": "Contact vertrouwenspersoon zonder zaak",
    "AdviceContactWithdrawn": "Contact vertrouwenspersoon zonder zaak ingetrokken",
    "SafetyConcernRaised": "Zorg over veiligheid gemeld",
    "ConfidentialityLifted": "Vertrouwelijkheid doorbroken",
    "ConsentGiven": "Toestemming gegeven",
    "ConsentWithdrawn": "Toestemming ingetrokken",
    "PersonalDataErased": "Persoonsgegevens verwijderd",
    "NotificationRequested": "Bericht klaargezet",
    "NotificationSent": "Bericht verzonden",
    "NotificationFailed": "Verzenden mislukt",
    "NotificationParked": "Bericht vraagt aandacht",
    "DossierSecretIssued": "Toegangscode dossier uitgegeven",
    "ComplainantInformationAdded": "Informatie toegevoegd door indiener",
    "NotificationRetryRequested": "Bericht opnieuw verzenden",
}
"""The Dutch label of each event type, as timelines and histories show it."""


def event_label(event_type: str) -> str | None:
    """The Dutch label of an event type; None for a type without one (added later), never an error."""
    return EVENT_TYPE_LABELS.get(event_type)


def label(value: StrEnum) -> str:
    """The Dutch label of a vocabulary value, e.g. ``label(Outcome.PARTLY_UPHELD) == "deels gegrond"``.

    Labels are kept per vocabulary: ``Channel.OTHER`` and ``Category.OTHER`` are equal strings with
    different labels.
    """
    labels = _LABELS.get(type(value), {})
    if value.value not in labels:
        raise KeyError(f"No Dutch label for {type(value).__name__}.{value.name}")
    return labels[value.value]
