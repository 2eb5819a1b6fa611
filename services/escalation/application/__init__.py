"""Escalation's use cases: run a command against its case (load, fold, decide with the pinned policy,
append), for the bus reactions, for staff commands and for the deadline timer's warnings and breaches."""
