"""The escalation service (built in a later step of the roadmap)."""
