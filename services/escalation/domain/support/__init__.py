"""Support for the client beside the procedure: the independent confidant and safety before everything.

- :mod:`.state`: the consents, contacts and concerns recorded on a case, folded from its events.
- :mod:`.confidant`: who may act as the client's confidant, the contacts it registers, contacting the
  organisation on the client's behalf, the client's consents, and the guard that a confidant never takes
  the case over.
- :mod:`.visibility`: who may read a confidant's notes.
- :mod:`.safety`: a safety concern recorded at once with its crisis route, and lifting confidentiality.
"""
