-- Every committed event, once. The global log order is (xid, global_position): xid is the appending
-- transaction's id, so readers can tell, from their snapshot's xmin, which rows can no longer be preceded
-- by a late commit. The primary key is the index the global log is read through.
CREATE TABLE eventstore.events (
    xid             xid8        NOT NULL,
    global_position bigint      GENERATED ALWAYS AS IDENTITY,
    stream_name     text        NOT NULL,
    version         bigint      NOT NULL,
    event_id        uuid        NOT NULL,
    type            text        NOT NULL,
    tenant          text        NOT NULL,
    data            jsonb       NOT NULL,
    metadata        jsonb       NOT NULL,
    schema_version  integer     NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_pkey PRIMARY KEY (xid, global_position)
);
