"""The intake service: the front door. An HTTP request with a signal of dissatisfaction becomes a new case
stream (``SignalReceived``, ``CaseReferenceAssigned``), idempotent by the caller's ``Idempotency-Key``."""
