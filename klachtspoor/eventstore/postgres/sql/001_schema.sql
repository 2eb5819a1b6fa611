-- The event store lives in its own schema, apart from the read models of the services.
CREATE SCHEMA IF NOT EXISTS eventstore;
