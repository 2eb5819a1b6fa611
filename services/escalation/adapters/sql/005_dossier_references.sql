-- The dossier's index: which case a receipt code (the case reference) names, per tenant. The public
-- dossier looks a case up by it (docs/public.md). A cache of CaseReferenceAssigned events: rebuilt from
-- the event store at any time. No personal data.
CREATE TABLE escalation.dossier_references (
    tenant    text NOT NULL,
    reference text NOT NULL,
    case_id   uuid NOT NULL,
    PRIMARY KEY (tenant, reference)
);
