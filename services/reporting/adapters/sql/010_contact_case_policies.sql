-- The confidant organisation each case's pinned policy names (NULL: none, the case's own tenant counts a
-- contact on it), kept by the `contacts` projection so that a contact on a case counts for the
-- organisation whose confidant registered it.
CREATE TABLE reporting.contact_case_policies (
    tenant                 text NOT NULL,
    case_id                uuid NOT NULL,
    confidant_organisation text,
    PRIMARY KEY (tenant, case_id)
);
