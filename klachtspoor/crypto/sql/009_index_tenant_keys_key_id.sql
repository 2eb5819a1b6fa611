-- A case key finds the tenant key version that wraps it by its id, which is unique within the tenant.
CREATE UNIQUE INDEX tenant_keys_key_id ON keystore.tenant_keys (tenant, key_id);
