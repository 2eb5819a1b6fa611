-- Several versions per tenant: the primary key becomes (tenant, version); the highest version is current.
ALTER TABLE keystore.tenant_keys DROP CONSTRAINT tenant_keys_pkey, ADD PRIMARY KEY (tenant, version);
