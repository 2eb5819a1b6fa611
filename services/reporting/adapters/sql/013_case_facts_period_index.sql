-- The statistics of one tenant and period read only that period's cases: by the day that places a case
-- in its quarter and year (the day of receipt, else the Dutch date of its first event).
CREATE INDEX IF NOT EXISTS case_facts_tenant_period_day
    ON reporting.case_facts (tenant, (COALESCE(received_on, first_seen_on)));
