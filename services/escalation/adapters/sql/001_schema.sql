-- Escalation's own schema: caches derived from the event store, nothing else. Nothing outside the
-- escalation service reads or writes it.
CREATE SCHEMA IF NOT EXISTS escalation;
