"""Intake's adapters: its own PostgreSQL schema (case references) and the case stream."""
