-- Which migration files were applied, with their checksum: an applied file must never change.
CREATE TABLE IF NOT EXISTS intake.applied_migrations (
    name       text        PRIMARY KEY,
    checksum   text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
