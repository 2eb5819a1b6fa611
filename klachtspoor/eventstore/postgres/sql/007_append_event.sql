-- The common case, one event, without arrays: the same checks and outcomes as append_events
-- (006_append_events.sql explains them); kept in step with it by the conformance suite, which runs
-- every case with one event and with several.
CREATE FUNCTION eventstore.append_event(
    p_stream text,
    p_expected bigint,
    p_id uuid,
    p_type text,
    p_tenant text,
    p_data jsonb,
    p_metadata jsonb,
    p_schema_version integer,
    OUT new_version bigint,
    OUT commit_xid xid8,
    OUT last_position bigint
)
LANGUAGE plpgsql
AS $$
DECLARE
    v_xid  xid8 := pg_current_xact_id();
    v_last bigint;
    v_head xid8;
BEGIN
    IF p_expected = -1 THEN
        INSERT INTO eventstore.streams (stream_name, version, head_xid) VALUES (p_stream, 0, v_xid);
        v_last := 0;
    ELSE
        UPDATE eventstore.streams AS s
           SET version = s.version + 1, head_xid = v_xid
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
                    RETURN;
                END IF;
                INSERT INTO eventstore.streams (stream_name, version, head_xid) VALUES (p_stream, 0, v_xid);
                v_last := 0;
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
    INSERT INTO eventstore.events
        (xid, stream_name, version, event_id, type, tenant, data, metadata, schema_version)
    VALUES
        (v_xid, p_stream, v_last, p_id, p_type, p_tenant, p_data, p_metadata, p_schema_version)
    RETURNING global_position INTO last_position;
    new_version := v_last;
    commit_xid := v_xid;
END;
$$;
