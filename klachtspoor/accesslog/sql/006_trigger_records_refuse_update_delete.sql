-- No row of the access log is changed or removed, by anyone who cannot drop this trigger.
CREATE TRIGGER records_refuse_update_delete
    BEFORE UPDATE OR DELETE ON accesslog.records
    FOR EACH ROW EXECUTE FUNCTION accesslog.refuse_change();
