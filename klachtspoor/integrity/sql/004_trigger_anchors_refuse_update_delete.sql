-- No anchor is changed or removed, by anyone who cannot drop this trigger.
CREATE TRIGGER anchors_refuse_update_delete
    BEFORE UPDATE OR DELETE ON integrity.anchors
    FOR EACH ROW EXECUTE FUNCTION integrity.refuse_change();
