-- One row per case: what the statistics count of it (codes and dates only, no personal data), plus the
-- state the statistics projection needs to move it on. Its own projection (subscriber `statistics`)
-- keeps it, so rebuilding the statistics leaves the case list alone and the other way round.
CREATE TABLE reporting.case_facts (
    tenant                   text    NOT NULL,
    case_id                  uuid    NOT NULL,
    version                  bigint  NOT NULL,
    first_seen_on            date    NOT NULL,
    received_on              date,
    categories               text[]  NOT NULL,
    channel                  text,
    highest_step             text,
    outcome                  text,
    ended_on                 date,
    closed                   boolean NOT NULL,
    measures_taken           boolean,
    terms_met                text[]  NOT NULL,
    terms_breached           text[]  NOT NULL,
    running_terms            text[]  NOT NULL,
    pending_acknowledgements uuid[]  NOT NULL,
    PRIMARY KEY (tenant, case_id)
);
