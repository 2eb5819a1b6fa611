-- Trigger function: anchors are append-only. UPDATE, DELETE and TRUNCATE raise, whoever runs them; only a
-- role that may drop or disable the triggers could alter them, and the exported anchors still tell.
CREATE OR REPLACE FUNCTION integrity.refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%.% is append-only: % is refused', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Anchors are never changed or removed';
END;
$$;
