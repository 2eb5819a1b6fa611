-- The reporting service's own schema: read models built from the event store, nothing else.
CREATE SCHEMA IF NOT EXISTS reporting;
