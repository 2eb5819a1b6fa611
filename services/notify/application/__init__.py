"""Notify's use cases: one delivery attempt (load, decide, send, record) and the letter it sends
(from the case's events, its pinned policy and the tenants)."""
