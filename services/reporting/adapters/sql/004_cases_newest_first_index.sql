-- The case list pages newest first within a tenant.
CREATE INDEX cases_newest_first ON reporting.cases (tenant, opened_at DESC, case_id DESC);
