-- The live definition of intake.claim_idempotency_key (first 006): edit it here.
-- The case a key claims: the live claim's case and request MAC, or (no live claim) p_case_id, claimed now.
CREATE OR REPLACE FUNCTION intake.claim_idempotency_key(
    p_tenant text,
    p_key_digest text,
    p_case_id uuid,
    p_request_mac text,
    p_now timestamptz,
    p_expires_at timestamptz,
    OUT case_id uuid,
    OUT request_mac text,
    OUT created boolean
)
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
BEGIN
    DELETE FROM intake.idempotency_keys AS k
    WHERE k.tenant = p_tenant AND k.key_digest = p_key_digest AND k.expires_at <= p_now;

    INSERT INTO intake.idempotency_keys AS k (tenant, key_digest, case_id, request_mac, expires_at)
    VALUES (p_tenant, p_key_digest, p_case_id, p_request_mac, p_expires_at)
    ON CONFLICT ON CONSTRAINT idempotency_keys_pkey DO NOTHING;
    IF FOUND THEN
        case_id := p_case_id;
        request_mac := p_request_mac;
        created := true;
        RETURN;
    END IF;

    SELECT k.case_id, k.request_mac, false INTO STRICT case_id, request_mac, created
    FROM intake.idempotency_keys AS k
    WHERE k.tenant = p_tenant AND k.key_digest = p_key_digest;
END;
$$;
