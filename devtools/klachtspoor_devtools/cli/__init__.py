"""The dev tools' groups of the ``klachtspoor`` command, registered under ``klachtspoor.commands``."""
