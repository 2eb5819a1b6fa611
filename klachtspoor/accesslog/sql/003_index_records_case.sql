-- "Who saw this file": a privacy officer reads one case's records in recorded order.
CREATE INDEX records_case ON accesslog.records (tenant, case_id, position);
