-- Every event of a case in stream order: its type, who acted in which role, and when. Never its data.
CREATE TABLE reporting.timeline (
    tenant      text        NOT NULL,
    case_id     uuid        NOT NULL,
    version     bigint      NOT NULL,
    event_id    uuid        NOT NULL,
    type        text        NOT NULL,
    actor_id    text        NOT NULL,
    actor_role  text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (tenant, case_id, version)
);
