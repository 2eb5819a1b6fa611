-- The live definition of eventstore.append_event (first 007, replaced by 009): edit it here.
-- The common case, one event, without arrays: the same checks and outcomes as append_events
-- (functions/append_events.sql explains them); kept in step with it by the conformance suite,
-- which runs every case with one event and with several.
CREATE OR REPLACE FUNCTION eventstore.append_event(
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
    v_xid      xid8 := pg_current_xact_id();
    v_head     bigint;
    v_head_xid xid8;
BEGIN
    IF p_expected <> -1 THEN
        SELECT e.version, e.xid INTO v_head, v_head_xid
          FROM eventstore.events AS e
         WHERE e.stream_name = p_stream
         ORDER BY e.version DESC
         LIMIT 1;
        IF v_head IS NULL THEN
            IF p_expected <> -2 THEN
                RETURN;
            END IF;
        ELSIF p_expected >= 0 AND v_head <> p_expected THEN
            new_version := v_head;
            RETURN;
        ELSIF v_head_xid > v_xid THEN
            RAISE EXCEPTION 'Stream % was last written by transaction %, younger than %',
                p_stream, v_head_xid, v_xid
                USING ERRCODE = 'serialization_failure';
        END IF;
    END IF;
    new_version := coalesce(v_head, -1) + 1;
    INSERT INTO eventstore.events
        (xid, stream_name, version, event_id, type, tenant, data, metadata, schema_version)
    VALUES
        (v_xid, p_stream, new_version, p_id, p_type, p_tenant, p_data, p_metadata, p_schema_version)
    RETURNING global_position INTO last_position;
    commit_xid := v_xid;
END;
$$;
