-- The reference of every case intake opened, keyed by the case, so a retried submission gets the same
-- one. request_hash is a SHA-256 of the submission (body and submitter) that first claimed the case: a
-- retry with the same Idempotency-Key and another body is refused. No personal data here.
CREATE TABLE intake.case_references (
    tenant       text        NOT NULL,
    case_id      uuid        NOT NULL,
    year         integer     NOT NULL,
    number       bigint      NOT NULL CHECK (number >= 1),
    request_hash text        NOT NULL,
    allocated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, case_id),
    UNIQUE (tenant, year, number)
);
