-- Which of these files have been applied, by file name, with a checksum: applied files never change.
CREATE TABLE IF NOT EXISTS keystore.migrations (
    name       text        PRIMARY KEY,
    checksum   text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
