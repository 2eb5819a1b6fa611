"""``klachtspoor chaos run``: a stack of its own under steady load and scheduled faults, then checks."""
