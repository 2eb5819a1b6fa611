-- One row per anchor: the running digest over the first event_count events of the global log, the last of
-- which is at (position_commit, position_sequence). digest = A_n, A_n = SHA-256(A_(n-1) || hash_n), A_0 = 32
-- zero bytes, hash_n the n-th event's chain hash (docs/integrity.md). event_count is unique: two recorders
-- covering the same events record the same anchor once.
CREATE TABLE integrity.anchors (
    anchor_no         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_count       bigint      NOT NULL UNIQUE CHECK (event_count > 0),
    position_commit   bigint      NOT NULL,
    position_sequence bigint      NOT NULL,
    digest            text        NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
    recorded_at       timestamptz NOT NULL DEFAULT now()
);
