-- TRUNCATE fires no row triggers, so it is refused by a statement trigger of its own.
CREATE TRIGGER records_refuse_truncate
    BEFORE TRUNCATE ON accesslog.records
    FOR EACH STATEMENT EXECUTE FUNCTION accesslog.refuse_change();
