"""The escalation service: the case workflow. It reacts to committed case events on the bus, decides with a
pure decider what follows (an acknowledgement, the first deadline, …) and appends that to the case stream."""
