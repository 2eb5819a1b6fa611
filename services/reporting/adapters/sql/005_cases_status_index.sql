-- The case list filtered by status, newest first.
CREATE INDEX cases_status_newest_first ON reporting.cases (tenant, status, opened_at DESC, case_id DESC);
