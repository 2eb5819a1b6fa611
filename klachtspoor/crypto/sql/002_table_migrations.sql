-- Which of these files have been applied, by file name.
CREATE TABLE IF NOT EXISTS keystore.migrations (
    name       text        PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);
