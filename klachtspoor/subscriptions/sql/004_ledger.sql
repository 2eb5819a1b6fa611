-- Events a subscriber has handled with effect: a redelivered event found here is skipped.
CREATE TABLE subscriptions.ledger (
    subscriber        text        NOT NULL,
    event_id          uuid        NOT NULL,
    commit_position   bigint      NOT NULL,
    sequence_position bigint      NOT NULL,
    handled_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subscriber, event_id)
);
