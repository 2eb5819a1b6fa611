"""The case as a whole: its state folded from the events, the checks every command shares, opening and
acknowledging it, the letters to the complainant, withdrawing, linking, closing and reopening it, and
erasing it.

- :mod:`.state`: :class:`~.state.CaseState`, ``evolve`` and ``fold``; only what decisions need.
- :mod:`.guards`: the case is open (or at least not erased), the policy given is the one it pinned.
- :mod:`.acknowledgement`: the reaction to a received signal.
- :mod:`.skips` and :mod:`.notices`: whether and how the complainant can be written to.
- :mod:`.lifecycle`: withdrawal, duplicates, closure and reopening.
- :mod:`.erasure`: erasing the case's personal data, on request or when its retention term ended.
"""
