-- One row per case: what the case list shows, plus the little state the projection needs to move it on
-- (open terms, requested acknowledgements). No personal data: only codes, ids, dates and times.
CREATE TABLE reporting.cases (
    tenant                  text        NOT NULL,
    case_id                 uuid        NOT NULL,
    stream                  text        NOT NULL,
    version                 bigint      NOT NULL,
    reference               text,
    status                  text        NOT NULL,
    categories              text[]      NOT NULL,
    opened_at               timestamptz NOT NULL,
    received_on             date,
    next_deadline_kind      text,
    next_deadline_due_on    date,
    terms                   jsonb       NOT NULL,
    pending_acknowledgements uuid[]     NOT NULL,
    last_event_at           timestamptz NOT NULL,
    PRIMARY KEY (tenant, case_id)
);
