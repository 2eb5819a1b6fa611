"""The notify service: it reacts to ``NotificationRequested`` on the bus, renders the letter the case's
policy prescribes and hands it to SMTP exactly once, recording ``NotificationSent``, ``Failed`` or
``Parked``."""
