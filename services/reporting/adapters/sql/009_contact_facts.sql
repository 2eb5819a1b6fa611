-- One row per confidant contact, for the confidant organisation's figures (codes and dates only, no
-- personal data): contacts on no case (their own streams) and contacts on a case. `tenant` is the
-- organisation whose figures count it; its own projection (subscriber `contacts`) keeps it. Contacts are
-- no cases: the case list and the case facts never hold them.
CREATE TABLE reporting.contact_facts (
    tenant                 text   NOT NULL,
    stream                 text   NOT NULL,
    contact_id             uuid   NOT NULL,
    basis                  text   NOT NULL CHECK (basis IN ('without_case', 'on_case')),
    contacted_on           date   NOT NULL,
    kind                   text,
    channel                text   NOT NULL,
    categories             text[] NOT NULL,
    organisation_concerned text,
    PRIMARY KEY (tenant, stream, contact_id)
);
