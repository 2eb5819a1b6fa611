"""The intake service (built in a later step of the roadmap)."""
