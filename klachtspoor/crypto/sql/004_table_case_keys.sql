-- One data key per case, wrapped by its tenant's key. Deleting a row shreds every ciphertext of the case.
CREATE TABLE keystore.case_keys (
    tenant        text        NOT NULL,
    case_id       text        NOT NULL,
    key_id        text        NOT NULL,
    tenant_key_id text        NOT NULL,
    wrapped       bytea       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, case_id)
);
