-- Tamper evidence keeps to its own schema, so an operator can give it an owner of its own (docs/integrity.md).
CREATE SCHEMA IF NOT EXISTS integrity;
