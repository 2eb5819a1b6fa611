-- "What did they see": a privacy officer reads one person's records in recorded order.
CREATE INDEX records_subject ON accesslog.records (tenant, subject, position);
