-- One round trip: the case's existing reference, or the next number of its tenant and year.
--
-- When another transaction allocated the same case meanwhile (a concurrent retry), our counter step is
-- undone: we still hold the counter row's lock, so nobody took a number after ours. Returns the case's
-- year, number, the request hash stored with it and whether this call allocated it.
CREATE FUNCTION intake.allocate_reference(
    p_tenant text,
    p_case_id uuid,
    p_year integer,
    p_request_hash text,
    OUT year integer,
    OUT number bigint,
    OUT request_hash text,
    OUT created boolean
)
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
DECLARE
    v_number bigint;
BEGIN
    SELECT r.year, r.number, r.request_hash, false INTO year, number, request_hash, created
    FROM intake.case_references AS r
    WHERE r.tenant = p_tenant AND r.case_id = p_case_id;
    IF FOUND THEN
        RETURN;
    END IF;

    INSERT INTO intake.reference_counters AS c (tenant, year, last_number)
    VALUES (p_tenant, p_year, 1)
    ON CONFLICT ON CONSTRAINT reference_counters_pkey DO UPDATE SET last_number = c.last_number + 1
    RETURNING c.last_number INTO v_number;

    INSERT INTO intake.case_references AS r (tenant, case_id, year, number, request_hash)
    VALUES (p_tenant, p_case_id, p_year, v_number, p_request_hash)
    ON CONFLICT ON CONSTRAINT case_references_pkey DO NOTHING;
    IF FOUND THEN
        year := p_year;
        number := v_number;
        request_hash := p_request_hash;
        created := true;
        RETURN;
    END IF;

    UPDATE intake.reference_counters AS c SET last_number = c.last_number - 1
    WHERE c.tenant = p_tenant AND c.year = p_year;
    SELECT r.year, r.number, r.request_hash, false INTO STRICT year, number, request_hash, created
    FROM intake.case_references AS r
    WHERE r.tenant = p_tenant AND r.case_id = p_case_id;
END;
$$;
