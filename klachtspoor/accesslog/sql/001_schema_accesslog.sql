-- The access log keeps to its own schema, so an operator can give it an owner of its own (docs/privacy.md).
CREATE SCHEMA IF NOT EXISTS accesslog;
