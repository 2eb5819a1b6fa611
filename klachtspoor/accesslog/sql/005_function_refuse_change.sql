-- Trigger function: the access log is append-only. UPDATE, DELETE and TRUNCATE raise, whoever runs them
-- (the application's own user included); only a role that may drop or disable the triggers could alter
-- the log, and docs/privacy.md says how an operator keeps that role away from the application.
CREATE OR REPLACE FUNCTION accesslog.refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%.% is append-only: % is refused', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Access log records are never changed or removed by the application';
END;
$$;
