-- Which of these files have been applied, with a checksum so an edited file is noticed.
CREATE TABLE IF NOT EXISTS escalation.applied_migrations (
    name       text        PRIMARY KEY,
    checksum   text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
