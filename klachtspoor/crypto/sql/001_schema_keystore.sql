-- The key store keeps to its own schema: nothing else reads or writes these tables.
CREATE SCHEMA IF NOT EXISTS keystore;
