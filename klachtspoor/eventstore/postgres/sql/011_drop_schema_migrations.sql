-- The event store's applied files are recorded in eventstore.applied_migrations, as every component's
-- are; the runner copied the records of the table an older version kept (if there was one) when it
-- created that table. The old table goes.
DROP TABLE IF EXISTS eventstore.schema_migrations;
