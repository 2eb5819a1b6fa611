-- A tenant key has versions: a rotation adds the next one, and case keys name the version (tenant_key_id)
-- that wraps them. The key each tenant had before versions existed is its version 1.
ALTER TABLE keystore.tenant_keys ADD COLUMN version integer NOT NULL DEFAULT 1;
