-- The running subscriber polls for retry requests; this keeps that poll cheap.
CREATE INDEX parked_retry_requested ON subscriptions.parked (subscriber, retry_requested_at)
    WHERE retry_requested_at IS NOT NULL;
