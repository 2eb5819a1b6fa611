"""What a developer and the tests need and the product does not: a distribution of its own.

The product (``contracts``, ``klachtspoor``, ``services``) never imports this package, and the
production image does not install it (an import-linter contract holds the first, the deploy checks the
second). Its command groups join the ``klachtspoor`` command through the ``klachtspoor.commands``
entry-point group, so they are there wherever the dev tools are installed and absent everywhere else.
"""
