"""Tamper evidence above the event store adapters: a hash chain per stream and anchors over the global log.

See docs/integrity.md: :mod:`.chain` (the canonical form and the link), :mod:`.store` (the decorator every
writer appends through), :mod:`.verify` (pure checks), :mod:`.anchors` (the global running digest).
"""
