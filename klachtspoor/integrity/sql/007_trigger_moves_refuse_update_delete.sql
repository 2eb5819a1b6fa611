-- A recorded move is never changed or removed, as anchors are not.
CREATE TRIGGER moves_refuse_update_delete
    BEFORE UPDATE OR DELETE ON integrity.moves
    FOR EACH ROW EXECUTE FUNCTION integrity.refuse_change();
