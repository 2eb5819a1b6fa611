-- The live definition of eventstore.append_events (first 006, replaced by 008): edit it here.
-- One round trip per append: the stream's head is its last event, found by a backward probe of
-- events_stream_version_key, and that unique index is what serialises writers of one stream.
--
-- p_expected: an exact version (>= 0), or -1 no stream, -2 any, -3 the stream exists.
-- Success returns the stream's new version, the transaction id and the global position of the last event.
-- A wrong expected version writes nothing and returns commit_xid NULL with the stream's current version
-- in new_version (NULL: no stream). Raised instead, to keep the common path to two statements:
--   unique_violation on events_stream_version_key: another transaction wrote the next version first (it
--     held it uncommitted when we looked): no stream was expected but it exists, or the expected version
--     is no longer current, or (expecting any version, or an existing stream) the caller retries;
--   unique_violation on events_event_id_key: an event id is already recorded.
-- In every case the caller then checks whether the append repeats an earlier one (an idempotent retry).
--
-- Order guard: readers order the global log by (xid, global_position). If the stream's last event was
-- written by a transaction with a higher xid than ours, our events would sort before it, so we refuse
-- with serialization_failure (40001) and the caller retries in a new transaction, which gets a higher xid.
CREATE OR REPLACE FUNCTION eventstore.append_events(
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
    v_head  bigint;
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
                RETURN;  -- an exact version, or "exists", against a missing stream
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
    new_version := coalesce(v_head, -1) + v_count;

    IF v_count = 1 THEN
        INSERT INTO eventstore.events
            (xid, stream_name, version, event_id, type, tenant, data, metadata, schema_version)
        VALUES
            (v_xid, p_stream, new_version, p_ids[1], p_types[1], p_tenants[1], p_data[1], p_metadata[1],
             p_schema_versions[1])
        RETURNING global_position INTO last_position;
    ELSE
        WITH inserted AS (
            INSERT INTO eventstore.events
                (xid, stream_name, version, event_id, type, tenant, data, metadata, schema_version)
            SELECT v_xid, p_stream, new_version - v_count + i, p_ids[i], p_types[i], p_tenants[i],
                   p_data[i], p_metadata[i], p_schema_versions[i]
              FROM generate_series(1, v_count) AS i
             ORDER BY i
            RETURNING global_position
        )
        SELECT max(inserted.global_position) INTO last_position FROM inserted;
    END IF;
    commit_xid := v_xid;
END;
$$;
