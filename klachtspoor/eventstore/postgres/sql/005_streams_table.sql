-- One row per stream: its head. Appends lock this row, which serialises writers of one stream, and
-- head_xid lets the append refuse to put an older transaction's events after a younger one's.
CREATE TABLE eventstore.streams (
    stream_name text   NOT NULL,
    version     bigint NOT NULL,
    head_xid    xid8   NOT NULL,
    CONSTRAINT streams_pkey PRIMARY KEY (stream_name)
) WITH (fillfactor = 70);
