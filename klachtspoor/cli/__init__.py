"""The ``klachtspoor`` command line."""
