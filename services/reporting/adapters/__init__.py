"""PostgreSQL read models, the projection handler and the translation of stored events."""
