-- The statistics' counts, kept by the statistics projection with each case's facts (in the same
-- transaction, by the difference between the case's old and new facts), so a statistics table or the
-- dashboard's trends read a few hundred rows instead of aggregating every case of a year. A count that
-- falls to 0 stays as a row of 0 (reads leave it out); a negative count is a defect and fails the write.
CREATE TABLE reporting.figure_counts (
    tenant    text    NOT NULL,
    period    text    NOT NULL,
    dimension text    NOT NULL,
    value     text    NOT NULL,
    cases     integer NOT NULL CHECK (cases >= 0),
    PRIMARY KEY (tenant, period, dimension, value)
);

-- The ended cases per period by their handling time in working days: the median and 90th percentile
-- are taken by rank over these counts.
CREATE TABLE reporting.handling_counts (
    tenant text    NOT NULL,
    period text    NOT NULL,
    days   integer NOT NULL,
    cases  integer NOT NULL CHECK (cases >= 0),
    PRIMARY KEY (tenant, period, days)
);

-- Rows written before handling days were stored (012) are not in handling_counts: the reads of a tenant
-- with such a row compute its figures from the case facts until `klachtspoor projections rebuild
-- statistics` fills them. This index makes asking for such a row cheap.
CREATE INDEX case_facts_without_handling_days ON reporting.case_facts (tenant)
    WHERE ended_on IS NOT NULL AND handling_days IS NULL;

-- The counts of the case facts already there, as the projection would have kept them.
WITH p AS (
    SELECT f.*, v.period FROM reporting.case_facts AS f CROSS JOIN LATERAL (VALUES
        (extract(year FROM COALESCE(f.received_on, f.first_seen_on))::int::text),
        (extract(year FROM COALESCE(f.received_on, f.first_seen_on))::int::text || '-Q'
            || extract(quarter FROM COALESCE(f.received_on, f.first_seen_on))::int::text)
    ) AS v(period)
)
INSERT INTO reporting.figure_counts (tenant, period, dimension, value, cases)
SELECT tenant, period, dimension, value, count(*)::int FROM (
    SELECT tenant, period, 'cases' AS dimension, 'all' AS value FROM p
    UNION ALL SELECT tenant, period, 'channel', COALESCE(channel, 'unknown') FROM p
    UNION ALL SELECT tenant, period, 'highest_step', COALESCE(highest_step, 'unknown') FROM p
    UNION ALL SELECT tenant, period, 'outcome', COALESCE(outcome, 'open') FROM p
    UNION ALL SELECT tenant, period, 'category', c FROM p CROSS JOIN LATERAL unnest(
        CASE WHEN cardinality(p.categories) = 0 THEN ARRAY['none'] ELSE p.categories END) AS c
    UNION ALL SELECT tenant, period, 'term_met', k FROM p CROSS JOIN LATERAL unnest(p.terms_met) AS k
    UNION ALL SELECT tenant, period, 'term_breached', k FROM p CROSS JOIN LATERAL unnest(p.terms_breached) AS k
    UNION ALL SELECT tenant, period, 'measures', CASE WHEN measures_taken THEN 'taken' ELSE 'not_taken' END
        FROM p WHERE measures_taken IS NOT NULL
) AS cells GROUP BY 1, 2, 3, 4;

WITH p AS (
    SELECT f.tenant, f.handling_days, v.period FROM reporting.case_facts AS f CROSS JOIN LATERAL (VALUES
        (extract(year FROM COALESCE(f.received_on, f.first_seen_on))::int::text),
        (extract(year FROM COALESCE(f.received_on, f.first_seen_on))::int::text || '-Q'
            || extract(quarter FROM COALESCE(f.received_on, f.first_seen_on))::int::text)
    ) AS v(period)
     WHERE f.ended_on IS NOT NULL AND f.handling_days IS NOT NULL
)
INSERT INTO reporting.handling_counts (tenant, period, days, cases)
SELECT tenant, period, handling_days, count(*)::int FROM p GROUP BY 1, 2, 3;
