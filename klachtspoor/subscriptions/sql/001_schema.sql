-- The schema that holds every table of the subscription runner and the relay.
CREATE SCHEMA IF NOT EXISTS subscriptions;
