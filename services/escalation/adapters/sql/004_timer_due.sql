-- The timer's due-date index, part 2: per case and deadline kind, what is still to be recorded and when.
-- warning_at / breach_at are NULL once that event is recorded for this due date; next_at is the earlier
-- of the two still pending (a row with nothing pending is deleted). A suspended term has no row.
-- Derived from the case's events and its pinned policy, never the truth: rebuilt from the event store.
CREATE TABLE escalation.timer_due (
    stream     text        NOT NULL REFERENCES escalation.timer_cases (stream) ON DELETE CASCADE,
    deadline   text        NOT NULL,
    tenant     text        NOT NULL,
    case_id    uuid        NOT NULL,
    due_on     date        NOT NULL,
    warning_on date        NOT NULL,
    warning_at timestamptz,
    breach_at  timestamptz,
    next_at    timestamptz NOT NULL,
    PRIMARY KEY (stream, deadline),
    CHECK (warning_at IS NOT NULL OR breach_at IS NOT NULL),
    CHECK (next_at = LEAST(warning_at, breach_at))
);
CREATE INDEX timer_due_next_at ON escalation.timer_due (next_at, stream, deadline);
