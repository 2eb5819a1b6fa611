"""Adapters: the case store behind the decider, and where poison messages are parked."""
