"""The intake domain: pure rules and the decider that opens a case. No I/O, no clock, no ids of its own."""
