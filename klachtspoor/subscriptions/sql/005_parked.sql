-- Events whose handler kept failing. The subscriber moved on; an operator retries or discards them.
-- retry_requested_at is set by `klachtspoor parked retry`; the running subscriber picks the request up.
CREATE TABLE subscriptions.parked (
    subscriber         text        NOT NULL,
    event_id           uuid        NOT NULL,
    commit_position    bigint      NOT NULL,
    sequence_position  bigint      NOT NULL,
    stream             text        NOT NULL,
    version            bigint      NOT NULL,
    type               text        NOT NULL,
    tenant             text        NOT NULL,
    error_type         text        NOT NULL,
    error              text        NOT NULL,
    attempts           integer     NOT NULL,
    parked_at          timestamptz NOT NULL DEFAULT now(),
    last_attempt_at    timestamptz NOT NULL DEFAULT now(),
    retry_requested_at timestamptz,
    PRIMARY KEY (subscriber, event_id)
);
