"""The embedded development stack: real PostgreSQL and NATS JetStream started from PyPI wheels.

Why our own launcher: the servers must run on loopback TCP ports with explicit start/stop, survive
leftovers of killed runs, and work as root (CI), none of which the wheels' own helpers give us.

Modules: ``postgres`` and ``nats`` (the servers), ``supervisor`` (child processes of ``dev up``),
``stack`` (what ``klachtspoor dev up`` starts), ``process`` and ``account`` (low-level helpers). The
tests' per-run scratch directories are test support (``tests/rundir.py``).
"""
