-- An event id is recorded once in the whole store: the basis of idempotent retries.
CREATE UNIQUE INDEX events_event_id_key ON eventstore.events (event_id);
