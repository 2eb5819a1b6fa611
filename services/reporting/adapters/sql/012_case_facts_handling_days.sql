-- The case's handling time in working days (klachtspoor.calendar, after the day of receipt up to and
-- including the end), written with the row by the statistics projection once the case has ended, so the
-- figures are aggregated in SQL. NULL while the case runs, and on rows written before this column: the
-- reads compute those in Python until `klachtspoor projections rebuild statistics` fills them.
ALTER TABLE reporting.case_facts ADD COLUMN IF NOT EXISTS handling_days integer;
