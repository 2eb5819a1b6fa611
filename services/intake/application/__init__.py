"""Intake's use cases: open a case (claim, allocate, decide, append) and purge expired claims."""
