-- One row per move of the event store into another (klachtspoor eventstore switch): the new store's first
-- event_count events are the old store's in the same order, the last of them at (position_commit,
-- position_sequence) in the new store, and their running digest is digest (A_event_count, as for anchors).
-- Anchors go on from the move when it covers at least as many events as the last anchor: the positions of
-- the anchors recorded before it are the old store's. target names the new store (no credentials).
CREATE TABLE integrity.moves (
    move_no           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_count       bigint      NOT NULL CHECK (event_count >= 0),
    position_commit   bigint      NOT NULL,
    position_sequence bigint      NOT NULL,
    digest            text        NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
    target            text        NOT NULL,
    moved_at          timestamptz NOT NULL DEFAULT now()
);
