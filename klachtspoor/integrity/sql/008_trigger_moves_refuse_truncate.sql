-- TRUNCATE fires no row triggers, so it is refused by a statement trigger of its own.
CREATE TRIGGER moves_refuse_truncate
    BEFORE TRUNCATE ON integrity.moves
    FOR EACH STATEMENT EXECUTE FUNCTION integrity.refuse_change();
