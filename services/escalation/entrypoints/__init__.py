"""Entrypoints: the bus consumer and the HTTP app. They only turn messages and requests into commands."""
