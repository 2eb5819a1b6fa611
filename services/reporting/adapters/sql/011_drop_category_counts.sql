-- The per-tenant category counts were superseded by the statistics' case facts (reporting.case_facts)
-- and no longer read or written: dropped.
DROP TABLE IF EXISTS reporting.category_counts;
