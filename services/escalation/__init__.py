"""The escalation service: the case workflow. It reacts to committed case events on the bus, takes staff
commands over HTTP and fires deadline warnings and breaches from its timer; a pure decider decides what
follows and the result is appended to the case stream."""
