-- Idempotency keys per tenant AND submitter, kept only while a retry is plausible (expires_at, 24 h).
--
-- key_digest is an HMAC (key derived from the master key) of the submitter's subject and the key, and
-- request_mac an HMAC of the canonical request: neither the subject, the key nor anything of the request
-- can be read back or confirmed by guessing without the master key. An expired row is deleted by the
-- claim that finds it and by intake's periodic purge; after expiry the key opens a new case.
CREATE TABLE intake.idempotency_keys (
    tenant      text        NOT NULL,
    key_digest  text        NOT NULL,
    case_id     uuid        NOT NULL,
    request_mac text        NOT NULL,
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant, key_digest)
);
CREATE INDEX idempotency_keys_expires_at ON intake.idempotency_keys (expires_at);
CREATE INDEX idempotency_keys_case ON intake.idempotency_keys (tenant, case_id);

-- The old column held a plain SHA-256 of the whole request (personal data included), kept forever.
ALTER TABLE intake.case_references DROP COLUMN request_hash;
DROP FUNCTION intake.allocate_reference(text, uuid, integer, text);

-- As in 005, without the request hash: the case's existing reference, or the next number.
CREATE FUNCTION intake.allocate_reference(
    p_tenant text,
    p_case_id uuid,
    p_year integer,
    OUT year integer,
    OUT number bigint,
    OUT created boolean
)
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
DECLARE
    v_number bigint;
BEGIN
    SELECT r.year, r.number, false INTO year, number, created
    FROM intake.case_references AS r
    WHERE r.tenant = p_tenant AND r.case_id = p_case_id;
    IF FOUND THEN
        RETURN;
    END IF;

    INSERT INTO intake.reference_counters AS c (tenant, year, last_number)
    VALUES (p_tenant, p_year, 1)
    ON CONFLICT ON CONSTRAINT reference_counters_pkey DO UPDATE SET last_number = c.last_number + 1
    RETURNING c.last_number INTO v_number;

    INSERT INTO intake.case_references AS r (tenant, case_id, year, number)
    VALUES (p_tenant, p_case_id, p_year, v_number)
    ON CONFLICT ON CONSTRAINT case_references_pkey DO NOTHING;
    IF FOUND THEN
        year := p_year;
        number := v_number;
        created := true;
        RETURN;
    END IF;

    UPDATE intake.reference_counters AS c SET last_number = c.last_number - 1
    WHERE c.tenant = p_tenant AND c.year = p_year;
    SELECT r.year, r.number, false INTO STRICT year, number, created
    FROM intake.case_references AS r
    WHERE r.tenant = p_tenant AND r.case_id = p_case_id;
END;
$$;

-- The case a key claims: the live claim's case and request MAC, or (no live claim) p_case_id, claimed now.
CREATE FUNCTION intake.claim_idempotency_key(
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
