-- How many cases of a tenant touch each category (a case with several categories counts in each).
CREATE TABLE reporting.category_counts (
    tenant   text    NOT NULL,
    category text    NOT NULL,
    cases    integer NOT NULL CHECK (cases >= 0),
    PRIMARY KEY (tenant, category)
);
