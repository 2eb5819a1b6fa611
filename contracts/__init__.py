"""The contracts of klachtspoor: events, commands and the envelope every service shares.

This package depends on pydantic and the standard library only, so every service (and every other
language, through the exported JSON Schemas in ``contracts/schemas/``) reads the same definitions.
Import from the modules: :mod:`contracts.base`, :mod:`contracts.vocabulary`, :mod:`contracts.labels`,
:mod:`contracts.values`, :mod:`contracts.personal`, :mod:`contracts.invariants`, :mod:`contracts.events`,
:mod:`contracts.commands`, :mod:`contracts.envelope`, :mod:`contracts.registry`, :mod:`contracts.schema`.
"""
