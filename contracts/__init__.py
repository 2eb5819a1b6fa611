"""The contracts of klachtspoor: events, commands and the envelope every service shares.

This package depends on pydantic and the standard library only, so every service (and every other
language, through the exported JSON Schemas in ``contracts/schemas/``) reads the same definitions.
Import from the modules: :mod:`contracts.base`, :mod:`contracts.vocabulary`, :mod:`contracts.values`,
:mod:`contracts.personal`, :mod:`contracts.events`, :mod:`contracts.commands`, :mod:`contracts.envelope`,
:mod:`contracts.registry` and :mod:`contracts.schema`.
"""
