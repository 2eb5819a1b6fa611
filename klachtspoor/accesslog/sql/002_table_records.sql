-- One row per read of personal data (NEN 7513): who, which case, which fields (names, never values), when,
-- through what, and whether it was served. position gives the recorded order; record_id makes a retry a no-op.
CREATE TABLE accesslog.records (
    position    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_id   uuid        NOT NULL UNIQUE,
    tenant      text        NOT NULL,
    case_id     uuid        NOT NULL,
    subject     text        NOT NULL,
    role        text        NOT NULL,
    shown       text[]      NOT NULL,
    at          timestamptz NOT NULL,
    channel     text        NOT NULL,
    outcome     text        NOT NULL CHECK (outcome IN ('served', 'refused')),
    status      integer,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
