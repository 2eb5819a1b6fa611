-- The last reference number given out per tenant and year of registration. Its row lock, held until the
-- allocating transaction commits, hands out the numbers one at a time and without gaps.
CREATE TABLE intake.reference_counters (
    tenant      text    NOT NULL,
    year        integer NOT NULL,
    last_number bigint  NOT NULL CHECK (last_number >= 0),
    PRIMARY KEY (tenant, year)
);
