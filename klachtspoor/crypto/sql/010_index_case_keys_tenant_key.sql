-- A rotation re-wraps the case keys under one tenant key version page by page, in case id order, and
-- counts them (progress; whether an old version can be retired).
CREATE INDEX case_keys_tenant_key ON keystore.case_keys (tenant, tenant_key_id, case_id);
