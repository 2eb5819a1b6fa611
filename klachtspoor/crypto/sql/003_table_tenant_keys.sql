-- One key per tenant, wrapped (AES-256-GCM) by the master key named by master_key_id.
CREATE TABLE keystore.tenant_keys (
    tenant        text        PRIMARY KEY,
    key_id        text        NOT NULL,
    master_key_id text        NOT NULL,
    wrapped       bytea       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
