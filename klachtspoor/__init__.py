"""Shared infrastructure of klachtspoor: event store, subscriptions, relay, crypto, settings, dev stack.

One package for every service, never copied per service. Nothing here opens a connection at import time.
"""
