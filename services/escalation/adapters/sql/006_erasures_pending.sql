-- Erasures begun and not yet recorded: a row is written before the case's key is shredded and deleted once
-- PersonalDataErased is in the case's stream. A row older than a minute is an erasure whose process died
-- (or whose event store was away) between the two; the deadline timer finishes it with the same command,
-- so the case's personal data is never gone without the log saying who erased it and why
-- (docs/privacy.md). The command holds no personal data: ids, the actor's subject id, the reason and
-- the pattern-limited request reference.
CREATE TABLE escalation.erasures_pending (
    tenant     text        NOT NULL,
    case_id    uuid        NOT NULL,
    command_id uuid        NOT NULL,
    kind       text        NOT NULL,
    command    jsonb       NOT NULL,
    begun_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant, case_id, command_id)
);
