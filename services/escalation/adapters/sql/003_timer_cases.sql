-- The timer's due-date index, part 1: per case stream, the stream version its rows in
-- escalation.timer_due were computed through. A log event at or below it is already covered, so a
-- batch (or a rebuild) reads each case once. A cache: rebuilt from the event store at any time.
CREATE TABLE escalation.timer_cases (
    stream      text        PRIMARY KEY,
    tenant      text        NOT NULL,
    case_id     uuid        NOT NULL,
    version     bigint      NOT NULL,
    computed_at timestamptz NOT NULL DEFAULT now()
);
