-- The live definition of intake.allocate_reference (first 005, replaced by 006): edit it here.
-- One round trip: the case's existing reference, or the next number of its tenant and year.
--
-- When another transaction allocated the same case meanwhile (a concurrent retry), our counter step is
-- undone: we still hold the counter row's lock, so nobody took a number after ours. Returns the case's
-- year, number and whether this call allocated it.
CREATE OR REPLACE FUNCTION intake.allocate_reference(
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
