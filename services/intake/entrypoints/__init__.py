"""Intake's entrypoints: the HTTP routes that turn requests into submissions."""
