-- One round trip per append: expected-version check, per-stream order guard and the inserts.
--
-- p_expected: an exact version (>= 0), or -1 no stream, -2 any, -3 the stream exists.
-- Success returns the stream's new version, the transaction id and the global position of the last event.
-- A wrong expected version writes nothing and returns commit_xid NULL with the stream's current version
-- in new_version (NULL: no stream). Raised instead, to keep the common path to two statements:
--   unique_violation on streams_pkey: no stream was expected but it exists (or, expecting any version,
--     another transaction created it meanwhile: the caller retries);
--   unique_violation on events_event_id_key: an event id is already recorded.
-- In every case the caller then checks whether the append repeats an earlier one (an idempotent retry).
--
-- Order guard: readers order the global log by (xid, global_position). If the stream's head was written
-- by a transaction with a higher xid than ours, our events would sort before it, so we refuse with
-- serialization_failure (40001) and the caller retries in a new transaction, which gets a higher xid.
CREATE FUNCTION eventstore.append_events(
    p_stream text,
    p_expected bigint,
    p_ids uuid[],
    p_types text[],
    p_tenants text[],
    p_data jsonb[],
    p_metadata jsonb[],
    p_schema_versions integer[],
    OUT new_version bigint,
    OUT commit_xid xid8,
    OUT last_position bigint
)
LANGUAGE plpgsql
AS $$
DECLARE
    v_xid   xid8    := pg_current_xact_id();
    v_count integer := cardinality(p_ids);
    v_last  bigint;
    v_head  xid8;
BEGIN
    IF p_expected = -1 THEN
        INSERT INTO eventstore.streams (stream_name, version, head_xid) VALUES (p_stream, v_count - 1, v_xid);
        v_last := v_count - 1;
    ELSE
        UPDATE eventstore.streams AS s
           SET version = s.version + v_count, head_xid = v_xid
         WHERE s.stream_name = p_stream
           AND (p_expected < 0 OR s.version = p_expected)
           AND s.head_xid <= v_xid
        RETURNING s.version INTO v_last;
        IF NOT FOUND THEN
            SELECT s.version, s.head_xid INTO v_last, v_head
              FROM eventstore.streams AS s
             WHERE s.stream_name = p_stream;
            IF NOT FOUND THEN
                IF p_expected <> -2 THEN
                    RETURN;  -- an exact version, or "exists", against a missing stream
                END IF;
                INSERT INTO eventstore.streams (stream_name, version, head_xid)
                VALUES (p_stream, v_count - 1, v_xid);
                v_last := v_count - 1;
            ELSIF p_expected >= 0 AND v_last <> p_expected THEN
                new_version := v_last;
                RETURN;
            ELSIF v_head > v_xid THEN
                RAISE EXCEPTION 'Stream % was last written by transaction %, younger than %',
                    p_stream, v_head, v_xid
                    USING ERRCODE = 'serialization_failure';
            ELSE
                RAISE EXCEPTION 'Stream % changed during the append', p_stream
                    USING ERRCODE = 'serialization_failure';
            END IF;
        END IF;
    END IF;

    IF v_count = 1 THEN
        INSERT INTO eventstore.events
            (xid, stream_name, version, event_id, type, tenant, data, metadata, schema_version)
        VALUES
            (v_xid, p_stream, v_last, p_ids[1], p_types[1], p_tenants[1], p_data[1], p_metadata[1],
             p_schema_versions[1])
        RETURNING global_position INTO last_position;
    ELSE
        WITH inserted AS (
            INSERT INTO eventstore.events
                (xid, stream_name, version, event_id, type, tenant, data, metadata, schema_version)
            SELECT v_xid, p_stream, v_last - v_count + i, p_ids[i], p_types[i], p_tenants[i], p_data[i],
                   p_metadata[i], p_schema_versions[i]
              FROM generate_series(1, v_count) AS i
             ORDER BY i
            RETURNING global_position
        )
        SELECT max(inserted.global_position) INTO last_position FROM inserted;
    END IF;
    new_version := v_last;
    commit_xid := v_xid;
END;
$$;
