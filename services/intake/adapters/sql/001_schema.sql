-- Intake's own schema: nothing outside the intake service reads or writes it.
CREATE SCHEMA IF NOT EXISTS intake;
