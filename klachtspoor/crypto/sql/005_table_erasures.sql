-- Tombstones of erased cases: when and by whom (a staff or process id), never anything personal.
CREATE TABLE keystore.erasures (
    tenant    text        NOT NULL,
    case_id   text        NOT NULL,
    key_id    text,
    erased_at timestamptz NOT NULL,
    actor     text        NOT NULL,
    PRIMARY KEY (tenant, case_id)
);
