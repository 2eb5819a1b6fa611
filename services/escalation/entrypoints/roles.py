"""Who may send which staff command: the role matrix of the escalation API (docs/services/escalation.md).

The HTTP layer checks it with ``authorize`` (403 for a role outside the set); the decider still enforces
its own rules (a confidant never takes a case over, only an accountable professional lifts
confidentiality). A token with several allowed roles is recorded in the first of :data:`ACTING_ORDER`.
"""

from __future__ import annotations

from contracts.vocabulary import Role
from services.escalation.domain.casefile import READERS

R = Role

ACTING_ORDER = (
    R.COMPLAINTS_COMMITTEE,
    R.DIRECTOR,
    R.COMPLAINTS_OFFICER,
    R.MANAGER,
    R.OFFICE_MANAGER,
    R.CARE_WORKER,
    R.MUNICIPAL_GENERALIST,
    R.CONFIDANT,
    R.AUDITOR,
    R.PRIVACY_OFFICER,
)
"""The role an actor is recorded in when its token has several of the roles a command allows."""

INFORMAL_STAFF = frozenset({R.CARE_WORKER, R.MANAGER, R.COMPLAINTS_OFFICER, R.OFFICE_MANAGER})
"""Who takes in signals and holds the conversations of the informal route."""
HANDLERS = frozenset({R.COMPLAINTS_OFFICER, R.DIRECTOR, R.COMPLAINTS_COMMITTEE, R.OFFICE_MANAGER})
"""Who handles a filed complaint and its terms (the office manager as the committee's secretariat)."""
JUDGES = frozenset({R.DIRECTOR, R.COMPLAINTS_COMMITTEE})
ALL_STAFF = INFORMAL_STAFF | HANDLERS | {R.MUNICIPAL_GENERALIST}

RECORD_FIRST_CONTACT = INFORMAL_STAFF | {R.COMPLAINTS_COMMITTEE}
RECORD_INFORMAL_CONVERSATION = INFORMAL_STAFF | {R.MUNICIPAL_GENERALIST}
ESCALATE = INFORMAL_STAFF | {R.MUNICIPAL_GENERALIST}
FILE_COMPLAINT = INFORMAL_STAFF | JUDGES
DECIDE_ADMISSIBILITY = frozenset({R.COMPLAINTS_OFFICER}) | JUDGES
ASSIGN_COMPLAINTS_OFFICER = frozenset({R.MANAGER, R.OFFICE_MANAGER, R.COMPLAINTS_OFFICER, R.DIRECTOR})
MEDIATION = frozenset({R.COMPLAINTS_OFFICER, R.MANAGER})
REQUEST_JUDGEMENT = HANDLERS
SCHEDULE_HEARING = frozenset({R.COMPLAINTS_COMMITTEE, R.OFFICE_MANAGER})
RECORD_HEARING = frozenset({R.COMPLAINTS_COMMITTEE})
GIVE_JUDGEMENT = JUDGES
"""And only as the judge the judgement names: a director gives a director's judgement."""
ANNOUNCE_MEASURES = frozenset({R.DIRECTOR, R.MANAGER})
REFER_EXTERNALLY = HANDLERS
TERMS = HANDLERS
WITHDRAW = ALL_STAFF
REOPEN = frozenset({R.COMPLAINTS_OFFICER, R.MANAGER, R.DIRECTOR, R.OFFICE_MANAGER})
LINK_AS_DUPLICATE = frozenset({R.COMPLAINTS_OFFICER, R.OFFICE_MANAGER})
CLOSE = HANDLERS | {R.MANAGER}
CONFIDANT = frozenset({R.CONFIDANT})
CONSENT = INFORMAL_STAFF | {R.CONFIDANT}
SAFETY = ALL_STAFF | {R.CONFIDANT}
"""Anyone who works with the client may flag danger or lift confidentiality (the decider checks who is
accountable); never a complainant, an auditor or the system."""
READ_DEADLINES = ALL_STAFF | {R.AUDITOR}
READ_HISTORY = frozenset(
    {R.AUDITOR, R.COMPLAINTS_OFFICER, R.DIRECTOR, R.COMPLAINTS_COMMITTEE, R.OFFICE_MANAGER}
)
"""Who replays a case as of a moment: those who check how it was handled (the auditor) and those who
answer for its handling (the complaints officer, the director, the committee and its secretariat). Not
the care worker or manager complained about, not the confidant (whose notes are no one else's), not the
privacy officer (who reads who looked, in the access log, not the case)."""
READ_ACCESS_LOG = frozenset({R.PRIVACY_OFFICER})
"""The access log (who saw which case file) is the privacy officer's alone (NEN 7513, AVG art. 38-39)."""
ERASE = frozenset({R.PRIVACY_OFFICER})
"""Only the privacy officer (functionaris gegevensbescherming) erases a case; the timer erases at the end
of the retention term on its own."""
READ_CASE_FILE = READERS
"""Every role with a row in the case file's table (docs/casefile.md); what each reads is that row."""
