"""Reporting's use cases: the projection's handler (decode, load the case's row, evolve, save) and the
rebuild of the read model."""
