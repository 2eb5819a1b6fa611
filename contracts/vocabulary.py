"""The closed vocabularies of the domain (from the Jeugdwet, Wkkgz and Awb, and the published
procedures). Values are stable English identifiers; the Dutch words people read are in
:mod:`contracts.labels`. Adding a member is backwards compatible for readers of old events; renaming or
removing one needs a new schema version of every event using it."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """Who acts. Complainant roles first, then staff and bodies, then technical roles."""

    CLIENT = "client"
    LEGAL_REPRESENTATIVE = "legal_representative"
    AUTHORISED_PERSON = "authorised_person"
    SURVIVING_RELATIVE = "surviving_relative"
    CARE_WORKER = "care_worker"
    MANAGER = "manager"
    CONFIDANT = "confidant"
    COMPLAINTS_OFFICER = "complaints_officer"
    DIRECTOR = "director"
    COMPLAINTS_COMMITTEE = "complaints_committee"
    MUNICIPAL_GENERALIST = "municipal_generalist"
    OFFICE_MANAGER = "office_manager"
    ADMINISTRATOR = "administrator"
    AUDITOR = "auditor"
    PRIVACY_OFFICER = "privacy_officer"
    SYSTEM = "system"


class TenantKind(StrEnum):
    """A provider of youth care, or an organisation of independent confidants (vertrouwenswerk). The tenant
    registry says which kind a tenant is; the escalation domain gets the kind of the actor's organisation as
    a fact on its commands, never the registry."""

    PROVIDER = "provider"
    CONFIDANT_ORG = "confidant_org"


class ComplainantCapacity(StrEnum):
    """In which capacity someone complains (Jeugdwet art. 4.2.1, Wkkgz)."""

    CLIENT = "client"
    LEGAL_REPRESENTATIVE = "legal_representative"
    AUTHORISED_PERSON = "authorised_person"
    SURVIVING_RELATIVE = "surviving_relative"


class AgeBand(StrEnum):
    """Coarse age of the client: enough for the "under 12 through a parent" policy and for statistics."""

    UNDER_12 = "under_12"
    FROM_12_TO_17 = "from_12_to_17"
    ADULT = "adult"


class Channel(StrEnum):
    """How a signal, complaint or confidant contact came in."""

    IN_PERSON = "in_person"
    PHONE = "phone"
    EMAIL = "email"
    WHATSAPP = "whatsapp"
    CHAT = "chat"
    LETTER = "letter"
    WEB_FORM = "web_form"
    OTHER = "other"


class Category(StrEnum):
    """What a complaint is about, for the yearly analysis; a policy may offer a subset."""

    TREATMENT = "treatment"
    REPORTING = "reporting"
    INFORMATION = "information"
    PROCEDURE = "procedure"
    COMPLAINT_HANDLING = "complaint_handling"
    OTHER = "other"


class ContactKind(StrEnum):
    """What a confidant did in a contact that is not on a case (the confidant procedures' own words: LSR's
    "informatieverstrekking en advisering", "verhelderen en verwoorden van onvrede" and "klachtbemiddeling";
    AKJ's "verkennen", "adviseert", "ondersteunt")."""

    INFORMATION = "information"
    """Information: the client's rights, the complaints procedure, whom to turn to."""
    ADVICE = "advice"
    """Advice: how best to raise the dissatisfaction, the route the confidant recommends."""
    SUPPORT = "support"
    """Support: clarifying and putting the dissatisfaction into words, preparing or attending a talk."""
    MEDIATION = "mediation"
    """Mediation: a conversation between the client and the organisation, led by the confidant."""


class EscalationStep(StrEnum):
    """A rung of a procedure's ladder; which rungs exist and in what order is policy."""

    CARE_WORKER = "care_worker"
    MANAGER = "manager"
    CONFIDANT = "confidant"
    COMPLAINTS_OFFICER = "complaints_officer"
    MUNICIPAL_GENERALIST = "municipal_generalist"
    DIRECTOR = "director"
    COMPLAINTS_COMMITTEE = "complaints_committee"

    @property
    def is_formal(self) -> bool:
        """Formal steps end in a written, reasoned judgement."""
        return self in (EscalationStep.DIRECTOR, EscalationStep.COMPLAINTS_COMMITTEE)


class Judge(StrEnum):
    """Who gives a formal judgement."""

    DIRECTOR = "director"
    COMPLAINTS_COMMITTEE = "complaints_committee"


class ConversationResult(StrEnum):
    RESOLVED = "resolved"
    PARTLY_RESOLVED = "partly_resolved"
    UNRESOLVED = "unresolved"


class EscalationReason(StrEnum):
    UNRESOLVED = "unresolved"
    CLIENT_FEELS_UNSAFE = "client_feels_unsafe"
    CLIENT_CHOICE = "client_choice"
    TERM_EXCEEDED = "term_exceeded"


class Outcome(StrEnum):
    """The judgement: gegrond, deels gegrond, ongegrond."""

    UPHELD = "upheld"
    PARTLY_UPHELD = "partly_upheld"
    REJECTED = "rejected"


class AdmissibilityGround(StrEnum):
    """Why a complaint need not be handled (Awb art. 9:8, adopted by the procedures; art. 4.2.3 Jeugdwet)."""

    PREVIOUSLY_HANDLED = "previously_handled"
    OLDER_THAN_ONE_YEAR = "older_than_one_year"
    OBJECTION_OR_APPEAL_POSSIBLE = "objection_or_appeal_possible"
    JUDICIAL_PROCEEDINGS = "judicial_proceedings"
    CRIMINAL_INVESTIGATION = "criminal_investigation"
    INTEREST_TOO_SMALL = "interest_too_small"
    COMPLAINANT_NOT_ENTITLED = "complainant_not_entitled"
    OTHER_COMPLAINT_REGIME = "other_complaint_regime"


class ExternalBody(StrEnum):
    DISPUTES_COMMITTEE = "disputes_committee"
    SKJ_DISCIPLINARY = "skj_disciplinary"
    OMBUDSMAN = "ombudsman"
    INSPECTORATE = "inspectorate"


class ReferralReason(StrEnum):
    COMPLAINANT_CHOICE = "complainant_choice"
    INTERNAL_ROUTE_EXHAUSTED = "internal_route_exhausted"
    PROVIDER_ROUTE_UNREASONABLE = "provider_route_unreasonable"
    STRUCTURAL_SITUATION_WITHOUT_MEASURES = "structural_situation_without_measures"
    PROFESSIONAL_CONDUCT = "professional_conduct"


class Resolution(StrEnum):
    """How a case ended."""

    RESOLVED_INFORMALLY = "resolved_informally"
    MEDIATED = "mediated"
    JUDGED = "judged"
    WITHDRAWN = "withdrawn"
    INADMISSIBLE = "inadmissible"
    REFERRED_EXTERNALLY = "referred_externally"
    DUPLICATE = "duplicate"


class HearingForm(StrEnum):
    ORAL = "oral"
    WRITTEN = "written"


class HearingParty(StrEnum):
    COMPLAINANT = "complainant"
    PERSON_COMPLAINED_ABOUT = "person_complained_about"
    PROVIDER = "provider"


class DeadlineKind(StrEnum):
    """Every term the timer watches; the length of each is policy, the due date is derived."""

    ACKNOWLEDGEMENT = "acknowledgement"
    FIRST_CONTACT = "first_contact"
    ADMISSIBILITY = "admissibility"
    JUDGEMENT = "judgement"
    MEASURES_NOTICE = "measures_notice"
    MEASURES_IMPLEMENTATION = "measures_implementation"
    DISPUTES_COMMITTEE_FILING = "disputes_committee_filing"
    OMBUDSMAN_FILING = "ombudsman_filing"
    RETENTION = "retention"


class TermUnit(StrEnum):
    HOURS = "hours"
    WORKING_DAYS = "working_days"
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"


class SuspensionReason(StrEnum):
    AWAITING_COMPLAINANT = "awaiting_complainant"
    MEDIATION = "mediation"
    COMPLAINANT_REQUEST = "complainant_request"
    EXTERNAL_PROCEEDINGS = "external_proceedings"
    OTHER = "other"


class ConsentScope(StrEnum):
    """What a complainant allows. The confidant acts only with consent (safety overrides, recorded)."""

    CONFIDANT_CONTACTS_ORGANISATION = "confidant_contacts_organisation"
    SHARE_IDENTITY = "share_identity"
    EMAIL_CORRESPONDENCE = "email_correspondence"
    TERM_BEYOND_LEGAL_LIMIT = "term_beyond_legal_limit"
    CORRESPONDENCE_VIA_CONFIDANT = "correspondence_via_confidant"
    """The case's letters also go to the complainant's confidant (the confidant organisation's mailbox)."""


class CrisisRoute(StrEnum):
    """Where acute danger is routed (from the published crisis page)."""

    EMERGENCY_112 = "emergency_112"
    VEILIG_THUIS = "veilig_thuis"
    ASSIGNED_WORKER = "assigned_worker"
    OUT_OF_HOURS_LINE = "out_of_hours_line"


class LiftGround(StrEnum):
    DANGER_TO_CLIENT = "danger_to_client"
    DANGER_TO_OTHERS = "danger_to_others"


class DisclosureRecipient(StrEnum):
    EMERGENCY_SERVICES = "emergency_services"
    VEILIG_THUIS = "veilig_thuis"
    ORGANISATION = "organisation"
    LEGAL_REPRESENTATIVE = "legal_representative"
    OTHER = "other"


class NotificationChannel(StrEnum):
    EMAIL = "email"
    LETTER = "letter"
    DOSSIER = "dossier"
    """Only in the complainant's dossier: for a complainant who can be reached no other way (anonymous,
    or no address) but filed through the public way in. Never mailed or printed."""


class Recipient(StrEnum):
    COMPLAINANT = "complainant"
    PERSON_COMPLAINED_ABOUT = "person_complained_about"
    PROVIDER = "provider"
    COMPLAINTS_COMMITTEE = "complaints_committee"
    CONFIDANT = "confidant"
    CASE_HANDLER = "case_handler"


class NotificationKind(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"
    FIRST_CONTACT = "first_contact"
    ADMISSIBILITY_DECISION = "admissibility_decision"
    TERM_EXTENDED = "term_extended"
    TERM_SUSPENDED = "term_suspended"
    PROGRESS_UPDATE = "progress_update"
    HEARING_INVITATION = "hearing_invitation"
    JUDGEMENT = "judgement"
    MEASURES = "measures"
    DEADLINE_WARNING = "deadline_warning"
    DEADLINE_BREACHED = "deadline_breached"
    CASE_CLOSED = "case_closed"
    WITHDRAWAL_CONFIRMED = "withdrawal_confirmed"


class ErasureReason(StrEnum):
    RETENTION_EXPIRED = "retention_expired"
    ERASURE_REQUEST = "erasure_request"
