-- The live definition of integrity.refuse_change (first 003): edit it here.
-- Anchors are append-only: UPDATE, DELETE and TRUNCATE raise, whoever runs them.
CREATE OR REPLACE FUNCTION integrity.refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%.% is append-only: % is refused', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Anchors are never changed or removed';
END;
$$;
