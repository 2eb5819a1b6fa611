-- The figures are read from reporting.figure_counts and reporting.handling_counts (014), so no query reads
-- the case facts by period any more. The index was worse than unused: on a table without statistics yet
-- (a new deployment, a rebuild's shadow table) PostgreSQL's generic plan for the projection's lookup of one
-- case (tenant, case_id) chose it over the primary key and read every case of the tenant per event.
DROP INDEX IF EXISTS reporting.case_facts_tenant_period_day;
