-- The key store's applied files are recorded in keystore.applied_migrations, as every component's are;
-- the runner copied the records of keystore.migrations (002) when it created that table. The old table goes.
DROP TABLE keystore.migrations;
