"""Who sees what of a case file: one table, role -> the names of the sections and fields that role reads.

The names are those the access log records (``shown``) and the keys of the file's ``shown`` list, so the
table, the answer and the log say the same thing. The reasons, per role and with the law they come from,
are in docs/casefile.md; a test compares this mapping with the table there, so neither drifts. A role
with no names never reads a case file (403).
"""

from __future__ import annotations

from types import MappingProxyType

from contracts.vocabulary import Role

R = Role

COMPLAINANT = "complainant"
"""Capacity, age band, preferred channel, whether the signal was anonymous."""
COMPLAINANT_NAME = "complainant.name"
COMPLAINANT_CONTACT = "complainant.contact"
"""E-mail address, phone number and postal address."""
ABOUT = "about"
"""Whom the complaint is about: role, staff id, name."""
DESCRIPTION = "description"
"""The signal's description, the complaint's description and the outcome the complainant wants."""
CATEGORIES = "categories"
STEPS = "steps"
"""Every step with its facts (who, when, results, grounds, outcomes, forms, dates), without free text."""
STEP_NOTES = "steps.notes"
"""The free text of the informal and lifecycle steps: conversation and first-contact notes, escalation and
referral explanations, the mediation agreement, withdrawal and reopening reasons, the closing summary."""
ADMISSIBILITY_EXPLANATION = "steps.admissibility.explanation"
HEARING_MINUTES = "steps.hearings.minutes"
JUDGEMENT_REASONING = "judgement.reasoning"
"""The judgement's reasoning and recommendations (its outcome is a fact of ``steps``)."""
MEASURES = "steps.measures"
"""Which measures the provider takes and its explanation (whether it takes any is a fact of ``steps``)."""
TERMS = "terms"
"""Running and past terms with their due dates, and every extension, suspension and resumption."""
TERM_REASONS = "terms.reasons"
"""Why a term was extended or suspended, in words."""
LETTERS = "letters"
"""Each letter's kind, recipient, channel, status and times."""
LETTER_TEXT = "letters.text"
"""The text of each letter sent, as notify rendered it (it names the complainant and the case's facts)."""
POLICY = "policy"
SUPPORT_CONFIDANT = "support.confidant"
"""The confidant's contacts (when, channel, anonymous, categories), its contacts with the organisation and
the consents given and withdrawn."""
CONFIDANT_NOTES = "support.confidant.notes"
"""What the client told the confidant (the client's name and the summary): the registering confidant's."""
SUPPORT_SAFETY = "support.safety"
"""Safety concerns (route, immediate danger, when) and confidentiality lifted (ground, to whom)."""
SAFETY_TEXT = "support.safety.text"
"""A concern's description and the justification for lifting confidentiality."""

EVERY_NAME = (
    COMPLAINANT,
    COMPLAINANT_NAME,
    COMPLAINANT_CONTACT,
    ABOUT,
    DESCRIPTION,
    CATEGORIES,
    STEPS,
    STEP_NOTES,
    ADMISSIBILITY_EXPLANATION,
    HEARING_MINUTES,
    JUDGEMENT_REASONING,
    MEASURES,
    TERMS,
    TERM_REASONS,
    LETTERS,
    LETTER_TEXT,
    POLICY,
    SUPPORT_CONFIDANT,
    CONFIDANT_NOTES,
    SUPPORT_SAFETY,
    SAFETY_TEXT,
)
"""Every name, in the order a file shows them."""

_ALL = frozenset(EVERY_NAME)
_SUPPORT = frozenset({SUPPORT_CONFIDANT, CONFIDANT_NOTES, SUPPORT_SAFETY, SAFETY_TEXT})
_HANDLING = _ALL - {CONFIDANT_NOTES}
_COMMITTEE = _ALL - _SUPPORT
_INFORMAL = frozenset(
    {COMPLAINANT, COMPLAINANT_NAME, ABOUT, DESCRIPTION, CATEGORIES, STEPS, STEP_NOTES, TERMS, POLICY}
)
_NONE: frozenset[str] = frozenset()

CASE_FILE_TABLE: MappingProxyType[Role, frozenset[str]] = MappingProxyType(
    {
        R.CLIENT: _NONE,
        R.LEGAL_REPRESENTATIVE: _NONE,
        R.AUTHORISED_PERSON: _NONE,
        R.SURVIVING_RELATIVE: _NONE,
        R.CARE_WORKER: _INFORMAL | {JUDGEMENT_REASONING, SUPPORT_SAFETY},
        R.MANAGER: _HANDLING - {HEARING_MINUTES},
        R.CONFIDANT: _ALL - {STEP_NOTES, HEARING_MINUTES},
        R.COMPLAINTS_OFFICER: _HANDLING,
        R.DIRECTOR: _HANDLING,
        R.COMPLAINTS_COMMITTEE: _COMMITTEE,
        R.MUNICIPAL_GENERALIST: _INFORMAL | {COMPLAINANT_CONTACT, SUPPORT_SAFETY},
        R.OFFICE_MANAGER: _COMMITTEE,
        R.ADMINISTRATOR: _NONE,
        R.AUDITOR: _HANDLING - {COMPLAINANT_CONTACT},
        R.PRIVACY_OFFICER: _NONE,
        R.SYSTEM: _NONE,
    }
)
"""Role -> what it reads of a case file. The confidant's notes are further limited to the confidant who
registered the contact (:func:`~services.escalation.domain.support.visibility.visible_fields`)."""

READING_ORDER = (
    R.COMPLAINTS_OFFICER,
    R.DIRECTOR,
    R.MANAGER,
    R.AUDITOR,
    R.COMPLAINTS_COMMITTEE,
    R.OFFICE_MANAGER,
    R.CONFIDANT,
    R.MUNICIPAL_GENERALIST,
    R.CARE_WORKER,
)
"""The reading roles, most-seeing first: a token holding several reads in the first it holds, and the
access log records that role. A complaints officer who is also a confidant reads as the organisation,
without the confidant's notes."""

READERS = frozenset(role for role, names in CASE_FILE_TABLE.items() if names)


def reading_role(held: frozenset[Role]) -> Role | None:
    """The role a token holding ``held`` (in the case's tenant) reads the file in; None: it may not."""
    return next((role for role in READING_ORDER if role in held), None)
