-- How far each subscriber has come in the global log: the last handled Position, as its two numbers.
CREATE TABLE subscriptions.checkpoints (
    subscriber        text        PRIMARY KEY,
    commit_position   bigint      NOT NULL,
    sequence_position bigint      NOT NULL,
    updated_at        timestamptz NOT NULL DEFAULT now()
);
